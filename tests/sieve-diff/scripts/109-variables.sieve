require ["comparator-i;ascii-numeric", "date", "envelope", "fileinto", "regex", "relational", "variables"];
if header :matches "list-id" "*<*.*>*" { fileinto "Lists.${2}"; stop; }
keep;
