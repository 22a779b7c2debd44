require ["comparator-i;ascii-numeric", "relational"];
if address :count "gt" :comparator "i;ascii-numeric" ["to","cc"] "2" {
  stop;
}
