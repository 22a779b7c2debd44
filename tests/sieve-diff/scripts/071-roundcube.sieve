require ["fileinto", "imap4flags", "subaddress"];
# rule:[filter 24]
if allof (address :detail "to" "lists", header :contains "subject" "ü")
{
	addflag "\\Seen"; fileinto "Read";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
