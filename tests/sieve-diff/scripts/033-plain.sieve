require ["date"];
if date :is "date" "weekday" ["0", "6"] {
  keep;
}
