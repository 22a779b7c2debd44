require ["date"];
if date :originalzone :is "date" "zone" "+0000" {
  redirect "archive@example.net";
}
