require ["fileinto"];
if header :is "to" "" { fileinto "EmptyTo"; }
