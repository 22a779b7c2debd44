require ["fileinto"];
if exists "list-id" {
  fileinto "One";
} elsif address :domain :contains ["to", "cc"] "nwit" {
  fileinto "Two";
} else {
  keep;
}
