require ["fileinto"];
if header :is "subject" "" {
  fileinto "One";
} elsif address :domain :is "from" "example.com" {
  fileinto "Two";
} else {
  keep;
}
