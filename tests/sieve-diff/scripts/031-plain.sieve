require ["fileinto", "subaddress"];
if address :detail "to" "lists" {
  fileinto "Archive/2024";
}
