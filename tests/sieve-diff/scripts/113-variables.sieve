require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if envelope :matches "to" "*+*@*" { fileinto "Sub.${2}"; }
