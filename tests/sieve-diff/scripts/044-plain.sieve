require ["fileinto"];
if allof (address :domain :contains "from" "example", size :under 100K) {
  fileinto "INBOX.Lists";
}
