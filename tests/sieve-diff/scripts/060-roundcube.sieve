require ["fileinto", "imap4flags"];
# rule:[filter 13]
if anyof (false, address :is "from" ["a@example.com", "support@nwit.example"])
{
	setflag "\\Flagged"; keep;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
