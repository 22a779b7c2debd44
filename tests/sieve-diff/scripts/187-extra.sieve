require ["fileinto"];
if exists "x-mailer" { fileinto "HasMailer"; }
