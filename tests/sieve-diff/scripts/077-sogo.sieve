require ["envelope", "fileinto", "imapflags"];
if anyof (envelope :is "from" "sender@example.com") {
    addflag "\\Flagged";
    fileinto "SOGo5";
    stop;
}
