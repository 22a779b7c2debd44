require ["copy", "fileinto"];
# rule:[filter 21]
if anyof (address :domain :contains ["to", "cc"] "nwit", header :matches "subject" "?*")
{
	fileinto :copy "Copies";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
