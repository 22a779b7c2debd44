require ["date", "fileinto"];
if date :zone "0100" :is "date" "year" "2000" { fileinto "BadZone"; }
if date :is "date" "nonsense" "x" { fileinto "BadPart"; }
