require ["fileinto"];
if header :contains "Subject" ["invoice", "Rechnung", "facture"] {
  fileinto "One";
} elsif header :contains "content-type" "multipart" {
  fileinto "Two";
} else {
  keep;
}
