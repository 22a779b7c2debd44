require ["fileinto"];
# rule:[filter 12]
if allof (header :matches "x-mailer" "*Outlook*", allof (address :domain :contains "from" "example", size :under 100K))
{
	keep;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
