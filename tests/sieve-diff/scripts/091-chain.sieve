require ["fileinto"];
if size :over 10K {
  fileinto "One";
} elsif exists ["auto-submitted", "precedence"] {
  fileinto "Two";
} else {
  keep;
}
