require ["fileinto"];
if header :contains "subject" "test" {
  fileinto "Filtered";
}
