require ["mailbox", "fileinto"];
if not mailboxexists "Nope" { fileinto :create "Created"; }
