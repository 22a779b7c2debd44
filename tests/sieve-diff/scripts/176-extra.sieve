require ["fileinto"];
if header :contains "content-type" "charset=" { fileinto "Charset"; }
