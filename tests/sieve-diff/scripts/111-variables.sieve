require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
set :upperfirst "f" "folder"; set :length "n" "${f}"; fileinto "${f}${n}";
