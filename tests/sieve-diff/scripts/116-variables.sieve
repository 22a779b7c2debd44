require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if date :matches "date" "year" "*" { fileinto "Y${1}"; }
