require ["fileinto", "imapflags"];
if anyof (header :contains "content-type" "multipart") {
    addflag "\\Flagged";
    fileinto "SOGo3";
    stop;
}
