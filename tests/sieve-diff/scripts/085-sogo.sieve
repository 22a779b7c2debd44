require ["fileinto", "imapflags", "regex"];
if anyof (header :regex "subject" "\\[#[0-9]+\\]") {
    addflag "\\Flagged";
    fileinto "SOGo13";
    stop;
}
