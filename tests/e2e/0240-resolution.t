#!/bin/sh
# Resolution notices: `ackmail issue close N --note TEXT` tells the
# customer, from the resolved template, what was done and asks how we
# did; the customer's answer finds the issue again and is recorded on it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
sink_start "$T/sink"
cat > "$T/conf" <<CONF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[support]
address = support@desk.example
name = Desk Example
phone = +49 30 555 0100
secret = resolution
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
CONF
export ACKMAIL_CONFIG=$T/conf
printf 'From: =?utf-8?q?Bj=C3=B6rn_Kunde?= <bjoern@customer.example>\nTo: support@desk.example\nSubject: VPN drops every hour\nMessage-ID: <r1@customer.example>\n\nThe VPN drops.\n' |
  ACKMAIL_NOW=2026-03-02T09:00:00Z "$ACKMAIL" deliver -f bjoern@customer.example -a support@desk.example
is "$(sink_count "$T/sink")" 1 "the acknowledgement went out"
out=$(ACKMAIL_NOW=2026-03-02T15:00:00Z "$ACKMAIL" issue close 1001 --resolved \
  --note 'Replaced the firewall'"'"'s VPN profile; the tunnel stays up now.' 2>&1)
is "$?" 0 "issue close exits 0"
diag "$out"
is "$(sink_count "$T/sink")" 2 "the resolution notice went out"
n=$T/sink/000002.eml
is "$(sed -n 2p "$T/sink/000002.env")" "bjoern@customer.example" "to the customer who opened the issue"
grep -q '^Subject: \[#1001\] Resolved: VPN drops every hour' "$n"; ok $? "subject names the issue and says resolved"
grep -q 'VPN profile; the tunnel stays up now' "$n"; ok $? "the note is in the body"
grep -q 'how we did' "$n"; ok $? "it asks how we did"
grep -q '^Auto-Submitted: auto-generated' "$n"; ok $? "Auto-Submitted: auto-generated"
grep -q '^To: .*bjoern@customer.example' "$n"; ok $? "To: the customer"
mid=$(python3 -c 'import email, sys; print(email.message_from_file(open(sys.argv[1]))["Message-Id"].strip().strip("<>"))' "$n")
case $mid in ackmail.1001.resolved.*) r=0;; *) r=1;; esac
ok $r "a signed Message-ID of the issue ($mid)"
"$ACKMAIL" issue list --json | grep -q '"resolved_told":true'; ok $? "the issue knows the customer was told"

# the customer answers the notice
printf 'From: bjoern@customer.example\nTo: support@desk.example\nSubject: Re: [#1001] Resolved: VPN drops every hour\nMessage-ID: <r2@customer.example>\nIn-Reply-To: <%s>\nReferences: <%s>\n\nGreat, thanks - very good service!\n' "$mid" "$mid" |
  ACKMAIL_NOW=2026-03-02T16:00:00Z "$ACKMAIL" deliver -f bjoern@customer.example -a support@desk.example
"$ACKMAIL" message list --issue 1001 --json > "$T/msgs"
grep -q 'r2@customer.example' "$T/msgs"; ok $? "the answer is recorded on issue 1001"
grep -q "$mid" "$T/msgs"; ok $? "so is our notice"
is "$(sink_count "$T/sink")" 2 "the answer to the notice is not acknowledged again"
"$ACKMAIL" issue close 1001 --quiet > /dev/null 2>&1
is "$(sink_count "$T/sink")" 2 "--quiet tells nobody"
done_testing
