require ["fileinto", "imapflags"];
if anyof (header :contains "from" "=?") {
    addflag "\\Flagged";
    fileinto "SOGo7";
    stop;
}
