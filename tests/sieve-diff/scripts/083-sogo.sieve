require ["fileinto", "imapflags"];
if anyof (exists "list-id") {
    addflag "\\Flagged";
    fileinto "SOGo11";
    stop;
}
