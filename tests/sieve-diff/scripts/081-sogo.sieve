require ["fileinto", "imapflags"];
if anyof (header :contains "subject" "test") {
    addflag "\\Flagged";
    fileinto "SOGo9";
    stop;
}
