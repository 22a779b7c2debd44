require ["fileinto", "imapflags"];
if anyof (address :domain :is "from" "example.com") {
    addflag "\\Flagged";
    fileinto "SOGo10";
    stop;
}
