require ["fileinto", "imapflags"];
if anyof (size :under 2000) {
    addflag "\\Flagged";
    fileinto "SOGo12";
    stop;
}
