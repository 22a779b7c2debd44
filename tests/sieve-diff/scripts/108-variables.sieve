require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if address :matches "from" "*@*" { fileinto "From.${2}"; }
