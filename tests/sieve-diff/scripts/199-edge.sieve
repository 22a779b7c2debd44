require ["envelope", "fileinto"];
if envelope :is "auth" "" { fileinto "NoAuth"; }
if envelope :matches "from" "*" { fileinto "HasFrom"; }
