require ["comparator-i;ascii-numeric", "fileinto", "imap4flags", "relational"];
# rule:[filter 2]
if allof (size :over 10K, address :count "gt" :comparator "i;ascii-numeric" ["to","cc"] "2")
{
	fileinto :flags ["\\Seen", "$Label1"] "Tagged";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
