require ["date", "relational"];
if date :value "ge" "date" "year" "2010" {
  discard;
}
