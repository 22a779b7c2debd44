require ["date", "fileinto", "relational", "comparator-i;ascii-numeric"];
# the first Date only, and only when Pigeonhole reads it as a date
if date :value "ge" :comparator "i;ascii-numeric" "date" "year" "2000" { fileinto "Y2K"; }
if date :originalzone :is "date" "zone" "+0000" { fileinto "UTC"; }
if not date :matches "date" "date" "*" { fileinto "NoDate"; }
