require ["fileinto", "imap4flags", "regex"];
# rule:[filter 16]
if allof (header :regex "subject" "\\[#[0-9]+\\]", allof (exists "from", not exists "in-reply-to"))
{
	fileinto :flags ["\\Seen", "$Label1"] "Tagged";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
