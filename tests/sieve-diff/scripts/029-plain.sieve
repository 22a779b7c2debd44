require ["envelope", "fileinto"];
if envelope :localpart :matches "from" "s*" {
  fileinto "Filtered";
}
