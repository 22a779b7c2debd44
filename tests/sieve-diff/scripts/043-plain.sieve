require ["fileinto"];
if anyof (exists "list-unsubscribe", header :contains "from" "newsletter") {
  fileinto "Filtered";
}
