#!/bin/sh
# Loop test: two ackmail setups, support@a.test and support@b.test, whose
# support addresses write to each other through a local Postfix relay,
# each acknowledging what it gets. The exchange stops by itself after at
# most one acknowledgement each.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
. "$(dirname "$0")/postfix.sh"
command -v postfix > /dev/null || skip_all "postfix is not installed"
command -v swaks > /dev/null || skip_all "swaks is not installed"
PF=$T/pf
PORT=$(free_port)
sink_start "$T/sink"
for side in a b; do
  mkdir -p "$T/$side"; chmod 777 "$T/$side"
  cat > "$T/$side.conf" <<CONF
[database]
path = $T/$side/ackmail.db
[deliver]
maildir = $T/$side/Maildir
[support]
address = support@$side.test
name = Desk $side
secret = loop-$side
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $PORT
flush_budget = 10s
CONF
  chmod 644 "$T/$side.conf"
done
cat > "$T/deliver.sh" <<SH
#!/bin/sh
# one Postfix, two ackmail setups: chosen by the address mail was sent to
case "\$ORIGINAL_RECIPIENT" in
support@a.test) side=a ;;
*) side=b ;;
esac
echo "\$ORIGINAL_RECIPIENT" >> $T/\$side/deliveries
ACKMAIL_CONFIG=$T/\$side.conf ACKMAIL_NO_SYSLOG=1 exec $ACKMAIL deliver -v 2>> $T/\$side/deliver.log
SH
chmod 755 "$T/deliver.sh"
pf_start "$PF" "$PORT" "$SINK_PORT" "$T/deliver.sh" \
  "virtual_alias_maps = inline:{ support@a.test=nobody@ackmail.test, support@b.test=nobody@ackmail.test }"
ok $? "postfix started"

# someone at desk A writes to desk B from the support address
swaks --silent 2 --server "127.0.0.1:$PORT" --from support@a.test \
  --to support@b.test --header 'From: Desk A <support@a.test>' \
  --header 'Subject: Our ticket 77 - can you have a look?' \
  --body 'Hello B, please check.' > "$T/swaks.log" 2>&1
ok $? "the first message was handed to postfix"
# let the exchange run until Postfix has nothing left (bounded)
for _ in 1 2 3; do sleep 1; pf_wait_idle "$PF"; done
sent() { ACKMAIL_CONFIG=$T/$1.conf "$ACKMAIL" outbox list --json --state sent | wc -l; }
a=$(sent a) b=$(sent b)
diag "acknowledgements sent: A $a, B $b; deliveries: A $(wc -l < "$T/a/deliveries" 2>/dev/null || echo 0), B $(wc -l < "$T/b/deliveries" 2>/dev/null || echo 0)"
is "$b" 1 "B acknowledged the message from A once"
ok $(( a > 1 )) "A sent at most one acknowledgement"
is "$(wc -l < "$T/a/deliveries")" 1 "A received exactly B's acknowledgement"
is "$(wc -l < "$T/b/deliveries")" $(( 1 + a )) "B received the first message (and nothing more)"
grep -q 'not answering.*\(auto\|loop\)' "$T/a/deliver.log"
ok $? "A logged why it did not answer"
diag "$(grep 'not answering' "$T/a/deliver.log")"
sqlite3 "$T/a/ackmail.db" "select suppressed from ack_log" | grep -q 'classified'
ok $? "and recorded the suppression with its reason"
is "$(sink_count "$T/sink")" 0 "nothing left the two desks"
pf_wait_idle "$PF"; ok $? "postfix is idle: the exchange stopped"
done_testing
