require ["fileinto", "imapflags"];
if anyof (exists ["auto-submitted", "precedence"]) {
    addflag "\\Flagged";
    fileinto "SOGo2";
    stop;
}
