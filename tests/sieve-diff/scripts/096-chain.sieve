require ["fileinto", "subaddress"];
if address :user "to" "recipient" {
  fileinto "One";
} elsif address :detail "to" "lists" {
  fileinto "Two";
} else {
  keep;
}
