require ["fileinto", "date", "variables"];
if date :zone "+0000" :matches "received" "date" "*" { fileinto "R${1}"; }
