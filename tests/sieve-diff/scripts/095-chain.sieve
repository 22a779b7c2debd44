require ["envelope", "fileinto"];
if envelope :is "from" "sender@example.com" {
  fileinto "One";
} elsif header :contains "content-type" "report" {
  fileinto "Two";
} else {
  keep;
}
