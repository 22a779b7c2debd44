require ["comparator-i;ascii-numeric", "fileinto", "imapflags", "relational"];
if anyof (address :count "gt" :comparator "i;ascii-numeric" ["to","cc"] "2") {
    addflag "\\Flagged";
    fileinto "SOGo14";
    stop;
}
