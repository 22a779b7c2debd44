require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if header :matches "subject" "*" { set "s" "${1}"; }
if string :contains "${s}" "e" { fileinto "HasE"; }
