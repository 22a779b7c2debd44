require ["copy"];
if address :localpart :contains "from" "noreply" {
  redirect :copy "copy@example.net";
}
