require ["comparator-i;ascii-numeric", "fileinto", "imap4flags", "relational"];
if header :count "ge" :comparator "i;ascii-numeric" "received" "3" {
  addflag "\\Seen"; fileinto "Read";
}
