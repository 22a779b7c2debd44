require ["fileinto", "subaddress"];
if header :matches "subject" "?*" {
  fileinto "One";
} elsif address :user "to" "recipient" {
  fileinto "Two";
} else {
  keep;
}
