require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
set :lower "f" "FOLDER"; fileinto "${f}";
