require ["variables", "fileinto"];
if string :is "abc" "ABC" { fileinto "Octet"; } else { fileinto "NotOctet"; }
