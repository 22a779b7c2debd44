require ["copy", "envelope", "fileinto"];
# rule:[filter 4]
if allof (envelope :localpart :matches "from" "s*", header :contains "Subject" ["invoice", "Rechnung", "facture"])
{
	redirect :copy "copy@example.net";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
