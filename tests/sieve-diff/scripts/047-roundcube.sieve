require ["fileinto"];
# rule:[filter 0]
if allof (header :contains "subject" "test", header :matches "subject" "*re:*")
{
	fileinto "Filtered";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
