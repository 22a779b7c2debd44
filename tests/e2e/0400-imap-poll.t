#!/bin/bash
# ackmail poll --once against a real Dovecot: every message of a corpus
# sample and a support stream processed exactly once, marked on the
# server, nothing done twice on the next run; configuration refusals.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 300 \
  --seed 1 --out "$T/stream" >/dev/null
corpus_files 7 > "$T/files"
ls "$T/stream/messages/"*.eml >> "$T/files"
total=$(wc -l < "$T/files")
imap_tool append "$IMAP_PORT" INBOX $(cat "$T/files")
is "$(imap_tool count "$IMAP_PORT" INBOX)" "$total" "loaded $total messages"

C=$T/ackmail.conf
poll_conf "$C" processed=flag batch=40
"$ACKMAIL" poll -c "$C" --once 2> "$T/log1"; st=$?
is "$st" 0 "poll --once exits 0"
is "$(imap_tool count "$IMAP_PORT" INBOX UNKEYWORD '$AckmailProcessed')" 0 \
  "every message carries the processed flag"
processed=$(grep -c 'uid [0-9]*: message-id=.*outcome=ok' "$T/log1")
seen=$(grep -c 'seen before (uid' "$T/log1")
is "$((processed + seen))" "$total" "one log line per message ($processed new, $seen repeated Message-IDs)"
records=$("$ACKMAIL" poll -c "$C" --list --json | wc -l)
is "$records" "$processed" "one record per processed message"
"$ACKMAIL" poll -c "$C" --stats > "$T/stats"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["deliveries"], d["duplicates"])' "$T/stats")" \
  "$processed 0" "the pipeline ran once per message, no Message-ID twice"
"$ACKMAIL" poll -c "$C" --list --json | python3 -c '
import json, sys
keys = [json.loads(l)["key"] for l in sys.stdin]
sys.exit(len(keys) != len(set(keys)))'
ok $? "record keys are unique"

"$ACKMAIL" poll -c "$C" --once 2> "$T/log2"; st=$?
is "$st" 0 "second run exits 0"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log2")" 0 "second run touches no message"

# a new message after the first run: only it is processed
imap_tool append "$IMAP_PORT" INBOX "$CORPUS/talon-replies/standard__outlook.eml" 2>/dev/null ||
  imap_tool append "$IMAP_PORT" INBOX "$(sed -n 1p "$T/files")"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log3"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log3")" 1 "a new message is picked up alone"

# processed = move with keep: stays in INBOX with the flag
imap_tool append "$IMAP_PORT" Other "$(sed -n 2p "$T/files")" 2>/dev/null
# refusals
poll_conf "$C" processed=flag
chmod 644 "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log4"; st=$?
is "$st" 78 "password in a group/world-readable file refused (EX_CONFIG)"
grep -q 'mode 0600' "$T/log4"; ok $? "the refusal says why"
poll_conf "$C" allow_plain=no
"$ACKMAIL" poll -c "$C" --once 2> "$T/log5"; st=$?
is "$st" 75 "plain IMAP without allow_plain refused"
grep -q 'plain IMAP refused' "$T/log5"; ok $? "the refusal names plain IMAP"
poll_conf "$C" password_command="echo wrong"
sed -i '/^password = /d' "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log6"; st=$?
is "$st" 75 "a wrong password from password_command fails the login"
grep -q 'login as support failed' "$T/log6"; ok $? "login failure reported"
poll_conf "$C" password_command="echo secret"
sed -i '/^password = /d' "$C"
chmod 644 "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log7"; st=$?
is "$st" 0 "password_command works with a readable config"
done_testing
