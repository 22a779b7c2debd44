require ["fileinto", "date", "variables"];
if date :originalzone :matches "date" "zone" "*" { fileinto "Z${1}"; }
