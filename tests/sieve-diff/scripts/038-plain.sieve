require ["imap4flags"];
if header :contains "subject" "ü" {
  setflag "\\Flagged"; keep;
}
