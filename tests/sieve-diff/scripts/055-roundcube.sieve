require ["fileinto"];
# rule:[filter 8]
if allof (exists "list-id", false)
{
	fileinto "Junk"; stop;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
