require ["fileinto", "imapflags"];
if anyof (header :contains "Subject" ["invoice", "Rechnung", "facture"]) {
    addflag "\\Flagged";
    fileinto "SOGo0";
    stop;
}
