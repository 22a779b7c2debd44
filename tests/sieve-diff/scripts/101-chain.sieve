require ["fileinto"];
if true {
  fileinto "One";
} elsif header :matches "subject" "*re:*" {
  fileinto "Two";
} else {
  keep;
}
