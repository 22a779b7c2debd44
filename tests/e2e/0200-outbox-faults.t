#!/bin/sh
# The outbox against a misbehaving SMTP server: down, 4xx, 5xx, closing
# in the middle of DATA, answering slowly. The bounded flush always comes
# back; nothing is sent twice; everything is sent once the server is fine.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
S=$T/sink
PORT=$(free_port)
cat > "$T/conf" <<CONF
[database]
path = $T/db
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $PORT
smtp_timeout = 30s
give_up_after = 2d
CONF
export ACKMAIL_CONFIG=$T/conf
A() { "$ACKMAIL" "$@"; }
at() { ACKMAIL_NOW=$1; export ACKMAIL_NOW; }
state_of() { A outbox list --json --state all | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["id"] == int(sys.argv[1]): print(o["state"], o["attempts"])' "$1"; }

at 2026-01-01T00:00:00Z
for i in 1 2 3; do
  printf 'From: support@x.test\nTo: c%s@y.test\nMessage-ID: <m%s@x.test>\nSubject: m%s\n\n.leading dot\nbody %s\n' $i $i $i $i |
    A outbox queue --kind ack --from '<>' "c$i@y.test" > /dev/null
done
is "$(A outbox list --json | wc -l)" 3 "three messages queued"

# 1. nobody listens
start=$(date +%s%N)
out=$(A outbox flush --budget 3s); st=$?
diag "flush against a closed port took $(( ($(date +%s%N) - start) / 1000000 )) ms: $out"
is "$st" 0 "flush with the server down exits 0"
is "$(state_of 1)" "queued 1" "first message deferred once"
is "$(state_of 2)" "queued 0" "the others were not tried against a dead server"

# 2. 4xx
sink_start "$S" "$PORT"
echo 4xx > "$SINK_MODE"
at 2026-01-01T01:00:00Z
A outbox flush --budget 3s > /dev/null
is "$(sink_count "$S")" 0 "4xx: nothing recorded"
is "$(state_of 2)" "queued 1" "4xx: deferred"

# 3. closing mid-DATA
echo close-data > "$SINK_MODE"
at 2026-01-01T02:00:00Z
A outbox flush --budget 3s > /dev/null
is "$(sink_count "$S")" 0 "close-data: nothing recorded"
is "$(A outbox list --json --state queued | wc -l)" 3 "close-data: all still queued"

# 4. slow: the bounded flush is stopped, the claim is put back later
echo "slow 20" > "$SINK_MODE"
at 2026-01-01T04:00:00Z
start=$(date +%s%N)
out=$(A outbox flush --budget 2s 2>&1); st=$?
diag "flush against a slow server took $(( ($(date +%s%N) - start) / 1000000 )) ms: $out"
is "$st" 0 "slow: flush exits 0"
case $out in *stopped*) r=0;; *) r=1;; esac
ok $r "slow: the flush was stopped at its budget"
is "$(A outbox list --json --state sending | wc -l)" 1 "slow: one message left claimed by the stopped flush"

# 5. back to normal: everything once
echo ok > "$SINK_MODE"
at 2026-01-01T10:00:00Z
out=$(A outbox flush 2>&1)
diag "$out"
is "$(sink_count "$S")" 3 "all three sent once the server is fine"
A outbox flush > /dev/null
at 2026-01-03T10:00:00Z
A outbox flush > /dev/null
is "$(sink_count "$S")" 3 "nothing sent twice"
ids=$(cat "$S"/*.eml | grep -i '^Message-ID:' | sort -u | wc -l)
is "$ids" 3 "three different messages arrived"
grep -q '^\.leading dot' "$S"/000001.eml; ok $? "dot-stuffing undone: the line starting with a dot survived"
is "$(head -n1 "$S"/000001.env)" "" "envelope sender is <>"

# 6. 5xx fails at once
printf 'Subject: five\n\nx\n' | A outbox queue --from '<>' nobody@y.test > /dev/null
echo 5xx > "$SINK_MODE"
A outbox flush > /dev/null
is "$(state_of 4)" "failed 1" "5xx: failed at once"

# 7. 4xx for longer than give_up_after
printf 'Subject: four\n\nx\n' | A outbox queue --from '<>' later@y.test > /dev/null
echo 4xx > "$SINK_MODE"
A outbox flush > /dev/null
is "$(state_of 5)" "queued 1" "4xx: retried"
at 2026-01-06T10:00:00Z
A outbox flush > /dev/null
is "$(state_of 5)" "failed 2" "still 4xx after give_up_after: failed"
A outbox list --json --state failed | grep -q 'gave up'; ok $? "the reason says it gave up"

# 8. drop
printf 'Subject: drop\n\nx\n' | A outbox queue --from '<>' drop@y.test > /dev/null
A outbox drop 6 > /dev/null; ok $? "drop a queued message"
is "$(state_of 6)" "dropped 0" "dropped"
A outbox drop 6 > /dev/null 2>&1; ok $(( $? == 0 )) "dropping it again is refused"

# 9. AUTH PLAIN
echo "auth u:secret" > "$SINK_MODE"
printf 'smtp_user = u\nsmtp_password = secret\n' >> "$T/conf"
printf 'Subject: auth\n\nx\n' | A outbox queue --from 'tech@x.test' auth@y.test > /dev/null
A outbox flush > /dev/null
is "$(sink_count "$S")" 4 "AUTH: sent after authenticating"
is "$(head -n1 "$S"/000004.env)" "tech@x.test" "AUTH: envelope sender kept"

# 10. sendmail(8)
cat > "$T/sendmail" <<SM
#!/bin/sh
printf '%s\n' "\$@" > "$T/sm.args"
cat > "$T/sm.msg"
exit \$(cat "$T/sm.exit")
SM
chmod +x "$T/sendmail"
printf '[database]\npath = %s\n[outbound]\nmethod = sendmail\nsendmail = %s\n' "$T/db" "$T/sendmail" > "$T/conf"
echo 75 > "$T/sm.exit"
printf 'Subject: sm\n\nx\n' | A outbox queue --from '<>' sm@y.test > /dev/null
A outbox flush > /dev/null
is "$(state_of 8)" "queued 1" "sendmail exit 75: deferred"
is "$(tr '\n' ' ' < "$T/sm.args")" "-oi -f <> -- sm@y.test " "sendmail arguments"
echo 0 > "$T/sm.exit"
at 2026-01-06T20:00:00Z
A outbox flush > /dev/null
is "$(state_of 8)" "sent 2" "sendmail exit 0: sent"
grep -q '^Subject: sm' "$T/sm.msg"; ok $? "sendmail got the message"
echo 67 > "$T/sm.exit"
printf 'Subject: sm2\n\nx\n' | A outbox queue --from '<>' sm2@y.test > /dev/null
A outbox flush > /dev/null
is "$(state_of 9)" "failed 1" "sendmail exit 67: failed"
done_testing
