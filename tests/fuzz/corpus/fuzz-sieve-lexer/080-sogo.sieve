require ["fileinto", "imapflags"];
if anyof (allof (exists "from", not exists "in-reply-to")) {
    addflag "\\Flagged";
    fileinto "SOGo8";
    stop;
}
