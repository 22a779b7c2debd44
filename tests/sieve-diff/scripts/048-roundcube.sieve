require ["fileinto"];
# rule:[filter 1]
if anyof (address :all :matches "to" "*@*.example", size :over 10K)
{
	redirect "archive@example.net";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
