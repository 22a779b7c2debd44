require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if header :regex "subject" "^(.)(.)" { fileinto "R.${1}${2}"; }
