#!/bin/sh
# The outbox with several recipients over SMTP: each recipient has its own
# answer. A 5xx to one RCPT fails that recipient only (recorded, shown in
# the digest's mail problems), the others get the message; a 4xx to one
# retries that one alone later; nobody gets the message twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
S=$T/sink
PORT=$(free_port)
cat > "$T/conf" <<CONF
[database]
path = $T/db
[support]
address = support@x.test
timezone = UTC
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $PORT
smtp_timeout = 10s
give_up_after = 2d
CONF
export ACKMAIL_CONFIG=$T/conf
A() { "$ACKMAIL" "$@"; }
at() { ACKMAIL_NOW=$1; export ACKMAIL_NOW; }
field() { # ID EXPR: a Python expression over the JSON row o
  A outbox list --json --state all | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["id"] == int(sys.argv[1]): print(eval(sys.argv[2]))' "$1" "$2"; }
queue() { # SUBJECT RCPT...
  s=$1; shift
  printf 'From: support@x.test\nTo: team@y.test\nSubject: %s\n\nbody\n' "$s" |
    A outbox queue --kind notice --from support@x.test "$@" | awk '{print $2}'
}
# how many messages the sink recorded for RCPT, and with which subject
got() { # RCPT [SUBJECT]
  n=0
  for e in "$S"/*.env; do
    [ -f "$e" ] || continue
    tail -n +2 "$e" | grep -qx "$1" || continue
    [ -z "${2:-}" ] || tr -d '\r' < "${e%.env}.eml" | grep -qx "Subject: $2" || continue
    n=$((n + 1))
  done
  echo $n
}
sink_start "$S" "$PORT"

# 1. a 5xx for one recipient: the others get it, that one is failed
at 2026-01-01T00:00:00Z
id=$(queue one a@y.test bad@y.test c@y.test)
echo "refuse 550:bad@y.test" > "$SINK_MODE"
A outbox flush > /dev/null 2> "$T/err1"
is "$(field "$id" 'o["state"]')" sent "5xx for one recipient: the message is sent"
is "$(sink_count "$S")" 1 "one SMTP transaction"
is "$(got a@y.test one)$(got c@y.test one)$(got bad@y.test one)" 110 "a and c got it, bad did not"
is "$(field "$id" '[(r["to"], r["state"]) for r in o["rcpts"] if r["state"] == "failed"]')" \
  "[('bad@y.test', 'failed')]" "the failed recipient is recorded"
field "$id" '[r["error"] for r in o["rcpts"] if r["to"] == "bad@y.test"][0]' | grep -q '550'
ok $? "with the server's answer"
field "$id" 'o["last_error"]' | grep -q 'bad@y.test'; ok $? "last_error names the refused recipient"
grep -q 'bad@y.test' "$T/err1"; ok $? "the log says so"
at 2026-01-01T06:00:00Z
A outbox flush > /dev/null 2>&1
is "$(got a@y.test one)$(got c@y.test one)" 11 "a later flush sends nothing again"

# 2. a 4xx for one recipient: only that one is tried again
at 2026-01-02T00:00:00Z
id2=$(queue two a@y.test later@y.test c@y.test)
echo "refuse 451:later@y.test" > "$SINK_MODE"
A outbox flush > /dev/null 2>&1
is "$(field "$id2" 'o["state"]')" queued "4xx for one recipient: queued again"
is "$(got a@y.test two)$(got c@y.test two)$(got later@y.test two)" 110 "the others got it at once"
field "$id2" 'o["last_error"]' | grep -q '451'; ok $? "last_error has the 4xx"
echo ok > "$SINK_MODE"
at 2026-01-02T00:00:30Z
A outbox flush > /dev/null 2>&1
is "$(got later@y.test two)" 0 "not before the backoff"
at 2026-01-02T00:05:00Z
A outbox flush > /dev/null 2> "$T/err2"
is "$(field "$id2" 'o["state"]')" sent "after the backoff: sent"
grep -q "sent notice $id2 .* to later@y.test\$" "$T/err2"; ok $? "the log names the one recipient it went to"
is "$(field "$id2" 'o["last_error"]')" None "nobody refused it for good: no error left"
is "$(got a@y.test two)$(got c@y.test two)$(got later@y.test two)" 111 "later@ got it once, a and c not twice"
last=$(ls "$S"/*.env | tail -1)
is "$(tail -n +2 "$last" | tr '\n' ' ')" "later@y.test " "the retry went to that recipient alone"

# 3. mixed: 451 for one, 550 for another; then the 4xx one gives up
at 2026-01-03T00:00:00Z
id3=$(queue three a@y.test slow@y.test gone@y.test)
echo "refuse 451:slow@y.test 550:gone@y.test" > "$SINK_MODE"
A outbox flush > /dev/null 2>&1
is "$(field "$id3" 'o["state"]')" queued "mixed: queued for the 4xx one"
is "$(field "$id3" 'sorted((r["to"], r["state"]) for r in o["rcpts"])')" \
  "[('a@y.test', 'sent'), ('gone@y.test', 'failed')]" "sent and failed recorded, slow@ pending"
at 2026-01-05T12:00:00Z
A outbox flush > /dev/null 2>&1
is "$(field "$id3" 'o["state"]')" sent "past give_up_after: the message is done"
is "$(field "$id3" '[r["state"] for r in o["rcpts"] if r["to"] == "slow@y.test"][0]')" failed \
  "the 4xx recipient is given up"
field "$id3" '[r["error"] for r in o["rcpts"] if r["to"] == "slow@y.test"][0]' | grep -q 'gave up'
ok $? "with the reason"
field "$id3" 'o["last_error"]' > "$T/le3"
grep -q 'gone@y.test: .*550' "$T/le3" && grep -q 'slow@y.test: gave up' "$T/le3"
ok $? "last_error names both refused recipients, the earlier one too"
is "$(got a@y.test three)" 1 "a@ got it once"

# 4. every recipient refused for good: the message failed
at 2026-01-06T00:00:00Z
id4=$(queue four x1@y.test x2@y.test)
echo "refuse 550:x1@y.test 550:x2@y.test" > "$SINK_MODE"
A outbox flush > /dev/null 2>&1
is "$(field "$id4" 'o["state"]')" failed "every recipient 5xx: failed"
is "$(field "$id4" 'len(o["rcpts"])')" 2 "both recorded"
echo ok > "$SINK_MODE"

# 5. the digest shows the refused recipients of messages that went out
at 2026-01-06T08:00:00Z
A digest > "$T/digest.txt"
grep -q 'not delivered to bad@y.test' "$T/digest.txt"; ok $? "digest: 5xx recipient under mail problems"
grep -q 'not delivered to slow@y.test' "$T/digest.txt"; ok $? "digest: given-up recipient too"
grep -q 'not delivered to a@y.test' "$T/digest.txt"
ok $([ $? -ne 0 ]; echo $?) "digest: the recipients that got it are not problems"
grep -q "mail $id4 to x1@y.test x2@y.test failed" "$T/digest.txt"; ok $? "digest: the failed message"
sed 's/^/# /' "$T/digest.txt" | sed -n '/Mail problems/,$p'
A digest --format json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
p = [r for r in rows if r["section"] == "problems" and r["kind"] == "rcpt-failed"]
print(sorted(r["to"] for r in p))' > "$T/json"
is "$(cat "$T/json")" "['bad@y.test', 'gone@y.test', 'slow@y.test']" "digest JSON: one row per refused recipient"
done_testing
