require ["fileinto"];
if size :over 10K {
  fileinto "Filtered";
}
