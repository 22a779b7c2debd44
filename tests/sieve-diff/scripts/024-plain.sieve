require ["comparator-i;ascii-numeric", "imap4flags", "relational"];
if header :count "eq" :comparator "i;ascii-numeric" "to" "1" {
  setflag "\\Flagged"; keep;
}
