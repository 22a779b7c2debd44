require ["fileinto"];
if header :contains "precedence" ["bulk", "list", "junk"] {
  keep; fileinto "Dup";
}
