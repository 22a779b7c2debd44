require ["comparator-i;ascii-numeric", "fileinto", "relational"];
# rule:[filter 6]
if allof (anyof (exists "list-unsubscribe", header :contains "from" "newsletter"), header :count "eq" :comparator "i;ascii-numeric" "to" "1")
{
	fileinto "Archive/2024";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
