require ["fileinto", "imapflags"];
if anyof (address :localpart :contains "from" "noreply") {
    addflag "\\Flagged";
    fileinto "SOGo1";
    stop;
}
