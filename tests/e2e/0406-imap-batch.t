#!/bin/bash
# The fetch batch adapts to a flaky link: behind a proxy that cuts every
# connection after 6-9 kB, a batch of 50 messages (~90 kB) never gets
# through; the batch halves after repeated failed fetches until single
# messages pass, every message is processed exactly once, and on a
# good link the batch grows back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 60 \
  --seed 3 --out "$T/stream" >/dev/null
imap_tool append "$IMAP_PORT" INBOX "$T/stream/messages/"*.eml
total=$(dcount INBOX)
is "$total" 60 "loaded 60 messages"
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

PROXY_PORT=$(free_port)
python3 "$IMAP_TOOL" proxy "$PROXY_PORT" "$IMAP_PORT" 6000 9000 11 > "$T/proxy.out" &
PROXY_PID=$!
at_exit "kill $PROXY_PID 2>/dev/null"
for _ in $(seq 1 100); do grep -q ready "$T/proxy.out" 2>/dev/null && break; sleep 0.05; done
C=$T/ackmail.conf
poll_conf "$C" processed=flag batch=50
sed -i "s/^port = .*/port = $PROXY_PORT/" "$C"

"$ACKMAIL" poll -c "$C" --once 2> "$T/log1"; st=$?
is "$st" 75 "the first run fails: its batch of 50 is cut"
is "$(grep -c 'message-id=' "$T/log1")" 0 "and makes no progress at all"
runs=1
while [ $runs -lt 150 ]; do
  runs=$((runs + 1))
  "$ACKMAIL" poll -c "$C" --once 2>> "$T/log" && break
done
diag "$runs runs through the cutting proxy"
ok "$([ $runs -lt 150 ] && echo 0 || echo 1)" "a run completes at last ($runs runs)"
grep -q 'fetch batch 50 -> 25 (fetches failed' "$T/log"; ok $? "the batch halved after failed fetches"
grep -q 'fetch batch [0-9]* -> [1-6] (fetches failed' "$T/log"; ok $? "and again, down to a few messages (12 never get through)"
is "$(dcount INBOX unkeyword '$AckmailProcessed')" 0 "every message is marked"
"$ACKMAIL" poll -c "$C" --stats > "$T/stats"
is "$(json_field records < "$T/stats")" 60 "one record per message"
is "$(json_field duplicates < "$T/stats")" 0 "no message through the pipeline twice"

# a good link: the batch grows back
kill "$PROXY_PID" 2>/dev/null
sed -i "s/^port = .*/port = $IMAP_PORT/" "$C"
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 60 \
  --seed 4 --out "$T/stream2" >/dev/null
imap_tool append "$IMAP_PORT" INBOX "$T/stream2/messages/"*.eml
"$ACKMAIL" poll -c "$C" --once 2> "$T/log-good"; st=$?
is "$st" 0 "on the direct link the run completes"
grep -q 'fetch batch [0-9]* -> [0-9]* (good fetches' "$T/log-good"; ok $? "the batch grows back after good fetches"
grep -q 'fetches failed' "$T/log-good"; ok $((! $?)) "and never shrinks there"
is "$(dcount INBOX unkeyword '$AckmailProcessed')" 0 "every new message is marked"
done_testing
