require ["fileinto"];
if anyof (header :contains "cc" "@", header :contains "bcc" "@") { fileinto "Copied"; }
