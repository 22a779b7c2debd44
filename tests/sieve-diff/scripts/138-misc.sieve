require ["imap4flags"];
if header :contains "subject" "e" { setflag "\\Flagged"; }
