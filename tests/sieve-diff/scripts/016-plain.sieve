require ["fileinto"];
if size :under 2000 {
  fileinto "INBOX.Lists";
}
