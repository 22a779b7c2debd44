require ["comparator-i;ascii-numeric", "fileinto", "relational"];
if header :contains "precedence" ["bulk", "list", "junk"] {
  fileinto "One";
} elsif header :count "ge" :comparator "i;ascii-numeric" "received" "3" {
  fileinto "Two";
} else {
  keep;
}
