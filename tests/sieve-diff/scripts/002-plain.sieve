require ["fileinto"];
if header :contains "Subject" ["invoice", "Rechnung", "facture"] {
  fileinto "INBOX.Lists";
}
