require ["body", "fileinto"];
if body :raw :contains "Content-Transfer-Encoding" { fileinto "Raw"; }
