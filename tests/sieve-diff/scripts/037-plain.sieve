require ["fileinto", "imap4flags"];
if header :contains "from" "=?" {
  addflag "\\Seen"; fileinto "Read";
}
