require ["fileinto"];
if address :all :matches "to" "*@*.example" {
  fileinto "One";
} elsif anyof (exists "list-unsubscribe", header :contains "from" "newsletter") {
  fileinto "Two";
} else {
  keep;
}
