if address :domain :is "from" "example.com" {
  redirect "archive@example.net";
}
