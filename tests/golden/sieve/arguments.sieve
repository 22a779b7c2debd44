# how instructions print their validated arguments
require ["fileinto", "copy", "imap4flags", "variables", "regex",
	 "relational", "comparator-i;ascii-numeric", "vacation", "envelope",
	 "subaddress", "body", "date", "editheader"];
if header :regex "subject" "^\\[#([0-9]+)\\]" {
	set :lower "ticket" "${1}";
	fileinto :copy :flags ["\\Seen", "$Ticket"] "Tickets/${ticket}";
}
if header :value "ge" :comparator "i;ascii-numeric" "x-spam-score" "5" {
	addflag "\\Flagged";
}
if envelope :detail "to" "support" { addheader "X-Via" "support"; }
if body :text :contains ["reboot", "outage"] { redirect "ops@example.com"; }
if date :is "date" "weekday" "0" { fileinto "Sunday"; }
vacation :days 7 :subject "Away" :addresses ["me@example.com"] text:
I am away.
.
;
