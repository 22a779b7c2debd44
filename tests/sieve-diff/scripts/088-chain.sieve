require ["fileinto"];
if address :domain :is "from" "example.com" {
  fileinto "One";
} elsif not exists "message-id" {
  fileinto "Two";
} else {
  keep;
}
