require ["fileinto", "imap4flags"];
if address :is "from" ["a@example.com", "support@nwit.example"] {
  addflag "\\Seen"; fileinto "Read";
}
