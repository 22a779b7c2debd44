require ["fileinto"];
if address :is "from" "nobody@nowhere" { fileinto "A"; } elsif header :contains "subject" "a" { redirect "<list@example.net>"; }
