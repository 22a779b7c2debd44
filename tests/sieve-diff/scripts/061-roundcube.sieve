require ["fileinto", "regex"];
# rule:[filter 14]
if allof (address :localpart :contains "from" "noreply", header :regex "subject" "^(re|aw|fwd?):")
{
	fileinto "Filtered";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
