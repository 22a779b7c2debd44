#!/bin/sh
# A support desk's mail stream (../shared/support-stream) through
# ackmail deliver with the default flow and an SMTP sink: no answer to
# any robot, exactly one acknowledgement per new issue opened by a
# human, the rate limits hold. Prints the figures.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
N=${ACK_STREAM_MESSAGES:-500}
python3 "$SHARED/support-stream/make_support_corpus.py" --messages "$N" --seed "${ACK_STREAM_SEED:-7}" \
  --out "$T/stream" > /dev/null || skip_all "cannot make the stream"
sink_start "$T/sink"
cat > "$T/conf" <<CONF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[support]
address = support@nwit.example
staff = @nwit.example
tracking_address = notices@nwit.example
name = Northwind IT Services
phone = +49 30 555 0100
secret = stream-test
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
flush_budget = 5s
CONF
export ACKMAIL_CONFIG=$T/conf
python3 "$ROOT/tests/ack-stream.py" "$ACKMAIL" "$T/stream" "$T/sink" > "$T/figures"; st=$?
cat "$T/figures"
ok $st "stream of $N messages: the acknowledgement rules hold"
grep -q '^# messages marked must_not_autoanswer: [0-9]*, acknowledged: 0$' "$T/figures"
ok $? "no robot answered"
grep -q 'twice or more: 0$' "$T/figures"; ok $? "no new issue acknowledged twice"
is "$("$ACKMAIL" outbox list --json --state queued | wc -l)" 0 "nothing left in the outbox"
done_testing
