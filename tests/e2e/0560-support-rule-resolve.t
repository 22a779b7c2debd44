#!/bin/sh
# 0560-support-rule-resolve.t - a rule that resolves or closes an issue
# (ackmail_state "resolved") tells the customer as `ackmail issue close N
# --note` does: the resolved template, the technician's text (or the
# rule's :note) as what was done, a signed Message-ID recorded on the
# issue; once, only when the state changes; :quiet tells nobody.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
sink_start "$T/sink"
cat > "$T/rules.sieve" <<'SIEVE'
require ["vnd.ackmail"];
if ackmail_duplicate { stop; }
if ackmail_staff {
    ackmail_issue;
    if header :contains "subject" "[done]" { ackmail_state "resolved"; }
    if header :contains "subject" "[drop]" { ackmail_state :quiet "closed"; }
    if header :contains "subject" "[ack]" { ackmail_acknowledge; }
    stop;
}
if ackmail_robot { ackmail_issue; stop; }
ackmail_issue;
if header :contains "subject" "solved, thanks" {
    ackmail_state :note "You told us it works again." "resolved";
    stop;
}
ackmail_acknowledge;
SIEVE
cat > "$T/conf" <<CONF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[rules]
path = $T/rules.sieve
[support]
address = support@desk.example
staff = @desk.example
secret = rule-resolve
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
CONF
export ACKMAIL_CONFIG=$T/conf
"$ACKMAIL" check > "$T/out" 2>&1; is $? 0 "the rules compile"
printf 'require "vnd.ackmail";\nackmail_state :quiet :note "x" "resolved";\n' > "$T/bad.sieve"
"$ACKMAIL" check -r "$T/bad.sieve" > "$T/out" 2>&1
ok $(( $? == 0 )) ":quiet and :note together are an error"

cust() { # cust FROM SUBJECT MSGID [IN-REPLY-TO]
  { printf 'From: %s\nTo: support@desk.example\nSubject: %s\nMessage-ID: <%s>\n' "$1" "$2" "$3"
    [ -n "${4:-}" ] && printf 'In-Reply-To: <%s>\n' "$4"
    printf '\nThe VPN drops every hour.\n'; } |
    "$ACKMAIL" deliver -f x@customer.example -a support@desk.example
}
staff() { # staff TO SUBJECT MSGID TEXT: a technician's mail, Bcc'd to support
  printf 'From: Tom Tech <tom@desk.example>\nTo: %s\nSubject: %s\nMessage-ID: <%s>\n\n%s\n\n> quoted customer text\n' \
    "$1" "$2" "$3" "$4" |
    "$ACKMAIL" deliver -f tom@desk.example -a support@desk.example
}
export ACKMAIL_NOW=2026-03-02T09:00:00Z
cust "Anna <anna@customer.example>" "VPN drops every hour" a1@customer.example
is "$(sink_count "$T/sink")" 1 "the new issue is acknowledged"

# the technician's mail resolves it: the customer hears once, not twice
# (the rule also asked for an acknowledgement of the staff mail)
export ACKMAIL_NOW=2026-03-02T15:00:00Z
staff anna@customer.example "Re: [#1001] VPN drops every hour [done] [ack]" t1@desk.example \
  "Replaced the VPN profile; the tunnel stays up now."
is "$(sink_count "$T/sink")" 2 "resolving by rule sends one resolution notice"
n=$T/sink/000002.eml
is "$(sed -n 2p "$T/sink/000002.env")" "anna@customer.example" "to the customer who opened the issue"
grep -q '^Subject: \[#1001\] Resolved: VPN drops every hour' "$n"; ok $? "the resolved template"
grep -q 'Replaced the VPN profile; the tunnel stays up now.' "$n"; ok $? "the technician's new text is the note"
grep -q 'quoted customer text' "$n"; ok $(( $? == 0 )) "without the quoted history"
"$ACKMAIL" issue list --json > "$T/issues"
grep -q '"number":1001.*"state":"resolved"' "$T/issues"; ok $? "the issue is resolved"
grep -q '"number":1001.*"resolved_told":true' "$T/issues"; ok $? "and knows the customer was told"
"$ACKMAIL" message list --issue 1001 --json > "$T/msgs"
grep -q '"message_id":"ackmail\.1001\.resolved\.' "$T/msgs"; ok $? "the notice is recorded on the issue"

# already resolved: another [done] tells nobody again
export ACKMAIL_NOW=2026-03-02T15:30:00Z
staff anna@customer.example "Re: [#1001] VPN drops every hour [done]" t2@desk.example "One more note."
is "$(sink_count "$T/sink")" 2 "no second notice for an issue already resolved"

# :quiet closes without a word
export ACKMAIL_NOW=2026-03-03T09:00:00Z
cust "Ben <ben@customer.example>" "Printer jams" b1@customer.example
is "$(sink_count "$T/sink")" 3 "issue 1002 acknowledged"
staff ben@customer.example "Re: [#1002] Printer jams [drop]" t3@desk.example "Duplicate of another ticket."
"$ACKMAIL" issue list --json | grep -q '"number":1002.*"state":"closed"'; ok $? ":quiet closed the issue"
is "$(sink_count "$T/sink")" 3 ":quiet told nobody"

# a customer's own message resolved by rule, with the rule's :note
export ACKMAIL_NOW=2026-03-04T09:00:00Z
cust "Clara <clara@customer.example>" "Scanner broken" c1@customer.example
is "$(sink_count "$T/sink")" 4 "issue 1003 acknowledged"
cust "Clara <clara@customer.example>" "Re: [#1003] Scanner broken - solved, thanks" c2@customer.example c1@customer.example
is "$(sink_count "$T/sink")" 5 "resolved by a rule on the customer's message: told"
last=$(ls "$T/sink"/*.eml | tail -1)
grep -q 'You told us it works again.' "$last"; ok $? "with the rule's :note"
done_testing
