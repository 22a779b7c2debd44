require ["comparator-i;ascii-numeric", "fileinto", "relational"];
if header :matches "x-mailer" "*Outlook*" {
  fileinto "One";
} elsif header :count "eq" :comparator "i;ascii-numeric" "to" "1" {
  fileinto "Two";
} else {
  keep;
}
