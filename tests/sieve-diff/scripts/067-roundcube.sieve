require ["fileinto"];
# rule:[filter 20]
if allof (header :is "subject" "", header :contains "received" "localhost")
{
	fileinto "Archive/2024";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
