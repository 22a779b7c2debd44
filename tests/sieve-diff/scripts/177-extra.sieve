require ["fileinto"];
if address :matches "from" "*" { fileinto "AnyFrom"; }
