require ["fileinto", "subaddress"];
if address :user "to" "recipient" {
  fileinto "INBOX.Lists";
}
