require ["comparator-i;ascii-numeric", "fileinto", "relational"];
if header :count "eq" :comparator "i;ascii-numeric" "to" "1" {
  fileinto "One";
} elsif header :matches "subject" "?*" {
  fileinto "Two";
} else {
  keep;
}
