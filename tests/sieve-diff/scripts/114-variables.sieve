require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
set "a" "x"; set "b" "${a}${a}"; if string :is "${b}" "xx" { fileinto "VarOK"; }
