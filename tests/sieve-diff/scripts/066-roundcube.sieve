require ["envelope", "fileinto"];
# rule:[filter 19]
if anyof (allof (exists "from", not exists "in-reply-to"), envelope :localpart :matches "from" "s*")
{
	stop;
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
