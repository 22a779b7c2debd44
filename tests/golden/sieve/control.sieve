# if/elsif/else chains, stop, and short-circuit logic lowered to jumps
require ["fileinto"];

if header :contains "subject" "urgent" {
	fileinto "Urgent";
	stop;
} elsif anyof (size :over 1M, not exists "x-small") {
	discard;
} elsif allof (address :domain :is "from" "example.com",
	       not header :is "x-spam" "yes") {
	keep;
} else {
	fileinto "Other";
}
if not anyof (allof (true, false), not true) {
	fileinto "Logic";
}
