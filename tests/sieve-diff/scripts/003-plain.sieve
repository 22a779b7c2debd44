require ["fileinto"];
if header :is "subject" "" {
  fileinto "Archive/2024";
}
