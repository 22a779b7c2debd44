require ["fileinto", "date", "variables"];
if date :zone "+0000" :matches "date" "std11" "*" { fileinto "S${1}"; }
