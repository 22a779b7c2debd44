require ["fileinto"];
if address :domain :is "to" "" { fileinto "EmptyDomain"; }
