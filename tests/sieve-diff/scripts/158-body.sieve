require ["body", "fileinto"];
if body :content "text/html" :contains "<" { fileinto "Html"; }
