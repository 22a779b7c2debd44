require ["fileinto"];
if allof (exists "from", not exists "in-reply-to") {
  fileinto "One";
} elsif header :contains "from" "=?" {
  fileinto "Two";
} else {
  keep;
}
