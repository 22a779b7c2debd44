require ["fileinto", "relational"];
if header :value "lt" :comparator "i;octet" "subject" "M" { fileinto "FirstHalf"; }
