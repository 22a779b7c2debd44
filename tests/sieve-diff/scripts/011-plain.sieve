require ["fileinto", "imap4flags"];
if exists "list-id" {
  fileinto :flags ["\\Seen", "$Label1"] "Tagged";
}
