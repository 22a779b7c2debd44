require ["fileinto"];
if anyof (header :contains "subject" "urgent", header :contains "x-priority" "1") {
  fileinto "Junk"; stop;
}
