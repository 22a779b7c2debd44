require ["comparator-i;ascii-numeric", "fileinto", "relational"];
if header :contains "content-type" "report" {
  fileinto "One";
} elsif header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "5" {
  fileinto "Two";
} else {
  keep;
}
