require ["envelope", "fileinto"];
# rule:[filter 17]
if anyof (envelope :domain :is "to" "example.com", address :localpart :contains "from" "noreply")
{
	fileinto "INBOX.Lists";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
