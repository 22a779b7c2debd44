require ["fileinto"];
# rule:[filter 5]
if anyof (header :comparator "i;octet" :contains "subject" "Re", header :is "auto-submitted" "auto-replied")
{
	stop;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
