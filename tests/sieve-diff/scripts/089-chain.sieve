require ["date", "fileinto", "relational"];
if address :is "from" ["a@example.com", "support@nwit.example"] {
  fileinto "One";
} elsif date :value "ge" "date" "year" "2010" {
  fileinto "Two";
} else {
  keep;
}
