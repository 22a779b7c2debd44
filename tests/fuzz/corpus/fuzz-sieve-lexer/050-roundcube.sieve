require ["fileinto", "regex"];
# rule:[filter 3]
if anyof (header :regex "from" "[0-9]{3,}", header :contains "from" "=?")
{
	fileinto "INBOX.Lists";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
