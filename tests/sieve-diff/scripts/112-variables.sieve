require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if header :matches "from" "*" { set :lower :upperfirst "who" "${1}"; }
if string :count "ge" :comparator "i;ascii-numeric" "${who}" "1" { fileinto "Named"; }
