require ["comparator-i;ascii-numeric", "fileinto", "imap4flags", "regex", "relational"];
# rule:[filter 10]
if allof (header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "5", header :regex "from" "[0-9]{3,}")
{
	addflag "\\Seen"; fileinto "Read";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
