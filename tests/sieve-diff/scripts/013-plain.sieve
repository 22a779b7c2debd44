require ["fileinto"];
if header :is "auto-submitted" "auto-replied" {
  fileinto "Junk"; stop;
}
