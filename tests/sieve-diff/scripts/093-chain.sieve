require ["fileinto", "regex"];
if header :regex "subject" "\\[#[0-9]+\\]" {
  fileinto "One";
} elsif header :contains "subject" "ü" {
  fileinto "Two";
} else {
  keep;
}
