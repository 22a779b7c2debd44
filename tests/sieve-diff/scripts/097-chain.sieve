require ["date", "fileinto"];
if date :is "date" "weekday" ["0", "6"] {
  fileinto "One";
} elsif allof (address :domain :contains "from" "example", size :under 100K) {
  fileinto "Two";
} else {
  keep;
}
