require ["date", "fileinto", "imapflags", "relational"];
if anyof (date :value "ge" "date" "year" "2010") {
    addflag "\\Flagged";
    fileinto "SOGo6";
    stop;
}
