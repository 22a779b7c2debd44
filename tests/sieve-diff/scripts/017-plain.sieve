require ["fileinto"];
if header :contains "content-type" "multipart" {
  fileinto "Archive/2024";
}
