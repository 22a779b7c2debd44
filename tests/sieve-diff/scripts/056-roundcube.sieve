require ["fileinto"];
# rule:[filter 9]
if anyof (header :contains "content-type" "report", exists "list-id")
{
	discard;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
