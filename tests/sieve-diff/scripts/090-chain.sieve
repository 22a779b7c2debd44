require ["fileinto"];
if exists ["auto-submitted", "precedence"] {
  fileinto "One";
} elsif true {
  fileinto "Two";
} else {
  keep;
}
