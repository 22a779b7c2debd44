require ["comparator-i;ascii-numeric", "envelope", "fileinto", "relational"];
# rule:[filter 23]
if anyof (header :count "eq" :comparator "i;ascii-numeric" "to" "1", envelope :is "from" "sender@example.com")
{
	discard;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
