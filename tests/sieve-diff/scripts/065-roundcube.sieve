require ["copy", "date", "fileinto", "relational"];
# rule:[filter 18]
if allof (currentdate :value "ge" "year" "2020", header :contains "content-type" "report")
{
	redirect :copy "copy@example.net";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
