#!/bin/bash
# ackmail poll under faults: the connection cut at random points (a TCP
# proxy that drops after N bytes), Dovecot killed mid-batch, ackmail
# itself killed mid-batch, a UIDVALIDITY change. Afterwards every message
# is marked, the pipeline ran exactly once per Message-ID, and a clean
# reference run over the same messages agrees on the count.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 100 \
  --seed 2 --out "$T/stream" >/dev/null
{ corpus_files 20 100; ls "$T/stream/messages/"*.eml; } > "$T/files"
total=$(wc -l < "$T/files")
imap_tool append "$IMAP_PORT" INBOX $(cat "$T/files")
for mb in Box Ref Box2 Box3; do imap_tool copy "$IMAP_PORT" INBOX "$mb"; done
is "$(imap_tool count "$IMAP_PORT" Box3)" "$total" "loaded $total messages, copied into 4 mailboxes"

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# the reference: a clean run over the same messages, its own database
R=$T/ref.conf
poll_conf "$R" mailbox=Ref processed=flag
sed -i "s#^path = .*#path = $T/ref.db#" "$R"
support_conf "$R"
"$ACKMAIL" poll -c "$R" --once 2>/dev/null
ref=$("$ACKMAIL" poll -c "$R" --stats | json_field records)
acks() { "$ACKMAIL" outbox -c "$1" list --json | grep -c '"kind":"ack"'; }
ref_acks=$(acks "$R")
diag "reference: $ref distinct messages among $total, $ref_acks acknowledgements queued"
ok "$([ "$ref_acks" -gt 0 ] && echo 0 || echo 1)" "the reference run queued acknowledgements"

# 1. connections cut after a random number of bytes
PROXY_PORT=$(free_port)
python3 "$IMAP_TOOL" proxy "$PROXY_PORT" "$IMAP_PORT" 2000 200000 7 > "$T/proxy.out" &
PROXY_PID=$!
at_exit "kill $PROXY_PID 2>/dev/null"
for _ in $(seq 1 100); do grep -q ready "$T/proxy.out" 2>/dev/null && break; sleep 0.05; done
C=$T/ackmail.conf
poll_conf "$C" mailbox=Box processed=flag batch=6
sed -i "s/^port = .*/port = $PROXY_PORT/" "$C"
support_conf "$C"
cuts=0 runs=0
while [ $runs -lt 100 ]; do
  runs=$((runs + 1))
  "$ACKMAIL" poll -c "$C" --once 2>> "$T/log-proxy" && break
  cuts=$((cuts + 1))
done
diag "proxy: $runs runs, $cuts cut"
ok "$([ $cuts -gt 0 ] && echo 0 || echo 1)" "the proxy cut connections ($cuts times)"
is "$(imap_tool count "$IMAP_PORT" Box UNKEYWORD '$AckmailProcessed')" 0 \
  "after the cuts every message is marked"
"$ACKMAIL" poll -c "$C" --stats > "$T/stats"
is "$(json_field records < "$T/stats")" "$ref" "as many records as the clean run"
is "$(json_field deliveries < "$T/stats")" "$ref" "the pipeline ran once per message"
is "$(json_field duplicates < "$T/stats")" 0 "no Message-ID processed twice"
diag "re-filed after a cut: $(grep -c 'seen before (uid' "$T/log-proxy") messages"

# 2. Dovecot killed in the middle of a batch (ackmail stopped meanwhile so
#    that the kill lands mid-batch, whatever the speed), then restarted
kill "$PROXY_PID" 2>/dev/null
poll_conf "$C" mailbox=Box2 processed=move batch=7
support_conf "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log-kill" &
pid=$!
for _ in $(seq 1 2000); do
  [ "$(grep -c 'uid [0-9]*: message-id=' "$T/log-kill")" -ge 10 ] && break
  sleep 0.005
done
kill -STOP "$pid"
dovecot_kill
dovecot_start
kill -CONT "$pid"
wait "$pid"; st=$?
is "$st" 75 "poll interrupted by the Dovecot kill exits 75"
before=$(imap_tool count "$IMAP_PORT" Box2 UNKEYWORD '$AckmailProcessed')
ok "$([ "$before" -gt 0 ] && echo 0 || echo 1)" "messages were left unmarked ($before)"
"$ACKMAIL" poll -c "$C" --once 2>> "$T/log-kill"; st=$?
is "$st" 0 "the next run completes"
is "$(imap_tool count "$IMAP_PORT" Box2 UNKEYWORD '$AckmailProcessed')" 0 \
  "after the restart every message is marked"

# 3. ackmail itself killed mid-batch (SIGKILL: no cleanup at all)
poll_conf "$C" mailbox=Box3 processed=flag batch=9
support_conf "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log-crash" &
pid=$!
for _ in $(seq 1 2000); do
  [ "$(grep -c 'uid [0-9]*: message-id=' "$T/log-crash")" -ge 15 ] && break
  sleep 0.005
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null
"$ACKMAIL" poll -c "$C" --once 2>> "$T/log-crash"; st=$?
is "$st" 0 "the run after the crash completes"
is "$(imap_tool count "$IMAP_PORT" Box3 UNKEYWORD '$AckmailProcessed')" 0 \
  "after the crash every message is marked"

# Box, Box2 and Box3 hold the same messages: the Message-IDs make them
# one set, processed once in all
"$ACKMAIL" poll -c "$C" --stats > "$T/stats"
is "$(json_field records < "$T/stats")" "$ref" "still one record per message"
is "$(json_field deliveries < "$T/stats")" "$ref" "no message went through the pipeline twice"
is "$(json_field duplicates < "$T/stats")" 0 "no Message-ID through the pipeline twice"
is "$(acks "$C")" "$ref_acks" "no acknowledgement queued twice: as many as the clean run"

# 4. UIDVALIDITY change: the mailbox recreated with the same messages
poll_conf "$C" mailbox=Box processed=flag
support_conf "$C"
v1=$(imap_tool uidvalidity "$IMAP_PORT" Box)
doveadm -c "$D/dovecot.conf" mailbox delete -u support Box
sleep 1 # Dovecot derives UIDVALIDITY from the clock
imap_tool copy "$IMAP_PORT" INBOX Box
v2=$(imap_tool uidvalidity "$IMAP_PORT" Box)
ok "$([ "$v1" != "$v2" ] && echo 0 || echo 1)" "UIDVALIDITY changed ($v1 -> $v2)"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log-uv"; st=$?
is "$st" 0 "poll after the UIDVALIDITY change exits 0"
grep -q 'UIDVALIDITY changed' "$T/log-uv"; ok $? "the change is logged"
is "$(imap_tool count "$IMAP_PORT" Box UNKEYWORD '$AckmailProcessed')" 0 \
  "the rescan marks every message again"
is "$(grep -c 'outcome=' "$T/log-uv")" 0 "the rescan runs no message through the pipeline"
"$ACKMAIL" poll -c "$C" --stats > "$T/stats"
is "$(json_field deliveries < "$T/stats")" "$ref" "deliveries unchanged after the rescan"
is "$(acks "$C")" "$ref_acks" "no acknowledgement queued by the rescan"
done_testing
