require ["fileinto", "imapflags", "regex"];
if anyof (header :regex "from" "[0-9]{3,}") {
    addflag "\\Flagged";
    fileinto "SOGo4";
    stop;
}
