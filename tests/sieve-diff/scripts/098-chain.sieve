require ["fileinto"];
if header :comparator "i;octet" :contains "subject" "Re" {
  fileinto "One";
} elsif exists "list-id" {
  fileinto "Two";
} else {
  keep;
}
