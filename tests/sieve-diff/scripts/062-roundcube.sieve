require ["fileinto", "subaddress"];
# rule:[filter 15]
if anyof (header :contains "precedence" ["bulk", "list", "junk"], address :detail "to" "lists")
{
	redirect "archive@example.net";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
