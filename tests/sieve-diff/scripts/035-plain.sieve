require ["copy", "date", "relational"];
if currentdate :value "ge" "year" "2020" {
  redirect :copy "copy@example.net";
}
