require ["envelope", "fileinto"];
if envelope :is "from" "sender@example.com" {
  fileinto "Junk"; stop;
}
