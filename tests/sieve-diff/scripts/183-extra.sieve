require ["fileinto", "date", "variables"];
if date :zone "+0200" :matches "date" "iso8601" "*" { fileinto "I${1}"; }
