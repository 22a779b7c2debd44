require ["fileinto"];
if header :contains ["reply-to", "sender"] "@" { fileinto "ReplyTo"; }
