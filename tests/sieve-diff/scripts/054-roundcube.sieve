require ["copy", "date", "fileinto", "relational"];
# rule:[filter 7]
if anyof (header :matches "subject" "*re:*", currentdate :value "ge" "year" "2020")
{
	fileinto :copy "Copies";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
