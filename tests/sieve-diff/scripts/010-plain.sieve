require ["imap4flags"];
if address :domain :contains ["to", "cc"] "nwit" {
  setflag "\\Flagged"; keep;
}
