require ["fileinto"];
if address :localpart :is "to" "" { fileinto "EmptyLocal"; }
