require ["fileinto"];
if true {
  fileinto "Archive/2024";
}
