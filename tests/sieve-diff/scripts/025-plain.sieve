require ["comparator-i;ascii-numeric", "fileinto", "imap4flags", "relational"];
if header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "5" {
  fileinto :flags ["\\Seen", "$Label1"] "Tagged";
}
