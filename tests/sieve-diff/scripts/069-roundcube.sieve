require ["fileinto"];
# rule:[filter 22]
if allof (header :contains "content-type" "multipart", size :under 2000)
{
	fileinto "Junk"; stop;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
