require ["fileinto"];
# comments inside addresses are not part of them
if address :all :contains ["from", "to", "cc", "reply-to", "sender"] "(" { fileinto "Paren"; }
if address :domain :contains ["from", "to", "cc"] " " { fileinto "Blank"; }
