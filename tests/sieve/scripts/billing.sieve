require ["fileinto"];
if header :contains "subject" "invoice" { fileinto "Billing"; }
