require ["fileinto"];
if address :all :contains "subject" "a" { fileinto "AddrSubject"; }
