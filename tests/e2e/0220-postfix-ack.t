#!/bin/sh
# A real MTA end to end: a throwaway Postfix on loopback delivers local
# mail to `ackmail deliver` through mailbox_command; mail injected with
# swaks lands in the Maildir, and the acknowledgement, submitted by SMTP
# to that Postfix with the null sender, is relayed to the SMTP sink.
# Postfix's sendmail(1) is checked too: "-f <>" gives MAIL FROM:<>.
# (An unprivileged mailbox_command cannot use "sendmail -C" with a
# private config directory, so the delivery path uses SMTP here.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
. "$(dirname "$0")/postfix.sh"
command -v postfix > /dev/null || skip_all "postfix is not installed"
command -v swaks > /dev/null || skip_all "swaks is not installed"
PF=$T/pf
PORT=$(free_port)
sink_start "$T/sink"
mkdir -p "$T/home"; chmod 777 "$T/home"
cat > "$T/ackmail.conf" <<CONF
[database]
path = $T/home/ackmail.db
[deliver]
maildir = $T/home/Maildir
[support]
address = support@ackmail.test
name = Ackmail Test Desk
secret = pf-test
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $PORT
flush_budget = 10s
CONF
chmod 644 "$T/ackmail.conf"
cat > "$T/deliver.sh" <<SH
#!/bin/sh
ACKMAIL_CONFIG=$T/ackmail.conf ACKMAIL_NO_SYSLOG=1 exec $ACKMAIL deliver 2>> $T/home/deliver.log
SH
chmod 755 "$T/deliver.sh"
pf_start "$PF" "$PORT" "$SINK_PORT" "$T/deliver.sh" \
  "virtual_alias_maps = inline:{ support@ackmail.test=nobody@ackmail.test }"
ok $? "postfix started"

swaks --silent 2 --server "127.0.0.1:$PORT" --from 'kunde@customer.example' \
  --to support@ackmail.test \
  --header 'From: =?utf-8?q?J=C3=BCrgen_K=C3=BCnde?= <kunde@customer.example>' \
  --header 'Subject: Re: Drucker geht nicht' \
  --header 'Message-Id: <pf-1@customer.example>' \
  --body 'Der Drucker im 2. Stock druckt nicht.' > "$T/swaks.log" 2>&1
ok $? "swaks handed the message to postfix"
for _ in $(seq 1 200); do
  [ "$(sink_count "$T/sink")" -ge 1 ] && break; sleep 0.1
done
n=$(ls "$T/home/Maildir/new" 2>/dev/null | wc -l)
is "$n" 1 "the message landed in the Maildir"
grep -q 'Der Drucker' "$T/home/Maildir/new/"* 2>/dev/null; ok $? "its text is there"
is "$(sink_count "$T/sink")" 1 "the acknowledgement reached the sink through postfix"
ack=$T/sink/000001.eml
is "$(sed -n 2p "$T/sink/000001.env")" "kunde@customer.example" "sent to the customer"
is "$(head -n1 "$T/sink/000001.env")" "" "with the null envelope sender"
grep -q '^Subject: \[#1001\] Drucker geht nicht' "$ack"; ok $? "subject [#1001] without Re:"
grep -q '^In-Reply-To: <pf-1@customer.example>' "$ack"; ok $? "In-Reply-To"
grep -q '^Auto-Submitted: auto-replied' "$ack"; ok $? "Auto-Submitted"
grep -q '^X-Ackmail-Loop: support@ackmail.test' "$ack"; ok $? "loop header"
grep -qi '^Message-Id: <ackmail\.1001\.ack\.' "$ack"; ok $? "our signed Message-ID"
grep -q 'Vorgangsnummer #1001' "$ack" || grep -q 'issue #1001' "$ack"; ok $? "the body names the issue"
is "$(ACKMAIL_CONFIG=$T/ackmail.conf "$ACKMAIL" outbox list --json --state sent | wc -l)" 1 "the outbox marks it sent"
[ -s "$T/home/deliver.log" ] && diag "$(tail -5 "$T/home/deliver.log")"

# Postfix's own sendmail(1) with the null sender, as root (-C allowed)
cat > "$T/root.conf" <<CONF
[database]
path = $T/root.db
[outbound]
method = sendmail
sendmail = $(pf_sendmail "$PF")
CONF
printf 'From: support@ackmail.test\nTo: x@remote.example\nSubject: via sendmail\n\nbody\n' |
  ACKMAIL_CONFIG=$T/root.conf "$ACKMAIL" outbox queue --from '<>' x@remote.example > /dev/null
ACKMAIL_CONFIG=$T/root.conf "$ACKMAIL" outbox flush > /dev/null 2>&1
is "$(ACKMAIL_CONFIG=$T/root.conf "$ACKMAIL" outbox list --json --state sent | wc -l)" 1 "postfix sendmail accepted it"
for _ in $(seq 1 200); do
  [ "$(sink_count "$T/sink")" -ge 2 ] && break; sleep 0.1
done
is "$(sink_count "$T/sink")" 2 "relayed to the sink"
is "$(head -n1 "$T/sink/000002.env" 2>/dev/null)" "" "sendmail -f '<>' gave MAIL FROM:<>"
grep -q '^Subject: via sendmail' "$T/sink/000002.eml" 2>/dev/null; ok $? "the message arrived whole"
done_testing
