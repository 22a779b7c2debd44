require ["fileinto", "imap4flags"];
if header :matches "x-mailer" "*Outlook*" {
  fileinto :flags ["\\Seen", "$Label1"] "Tagged";
}
