#!/bin/bash
# Paths a default Dovecot never takes, on a Dovecot that advertises
# LOGINDISABLED and neither UIDPLUS nor MOVE (imap_capability):
#  1. AUTHENTICATE PLAIN: the client talks through a proxy that answers
#     any LOGIN command NO itself, so only AUTHENTICATE can log in;
#  2. the COPY + \Deleted fallback without UID EXPUNGE: a plain EXPUNGE
#     runs only when no other client's \Deleted message would go with
#     ours; until then ours stay marked, and they go once the other one
#     is undeleted; nothing is copied twice;
#  3. processed = leave: nothing moved, flagged or deleted on the
#     server, and the stored UID keeps every message to one run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

cat > "$T/rules.sieve" <<'SIEVE'
require ["fileinto", "imap4flags"];
if header :contains "subject" "printer" { addflag "\\Flagged"; fileinto "Support.Acme"; stop; }
if header :contains "subject" "newsletter" { discard; stop; }
addflag "Seen-By-Ackmail";
keep;
SIEVE
printf '[rules]\npath = %s\n' "$T/rules.sieve" > "$T/check.conf"
"$ACKMAIL" check -c "$T/check.conf" > /dev/null 2>&1 ||
  skip_all "no Sieve engine in this build"

DOVECOT_EXTRA='imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE LOGINDISABLED'
dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }

mk() { # FILE SUBJECT
  printf 'From: c%s@example.com\r\nTo: support@example.com\r\nSubject: %s\r\nMessage-ID: <%s.paths@example.com>\r\n\r\nbody\r\n' \
    "$RANDOM" "$2" "$(basename "$1")" > "$1"
}
mkdir -p "$T/m"
mk "$T/m/a1" "the printer is offline"; mk "$T/m/a2" "monthly newsletter"
mk "$T/m/a3" "question about invoices"; mk "$T/m/a4" "printer again"
mk "$T/m/foreign" "foreign message deleted elsewhere"
imap_tool append "$IMAP_PORT" INBOX "$T/m/foreign" "$T/m/a1" "$T/m/a2" "$T/m/a3" "$T/m/a4"
doveadm -c "$D/dovecot.conf" flags add -u support '\Deleted' mailbox INBOX subject foreign

PROXY_PORT=$(free_port)
python3 "$IMAP_TOOL" proxy "$PROXY_PORT" "$IMAP_PORT" 1000000000 1000000000 1 "$T/sent" nologin > "$T/proxy.out" &
PROXY_PID=$!
at_exit "kill $PROXY_PID 2>/dev/null"
for _ in $(seq 1 100); do grep -q ready "$T/proxy.out" 2>/dev/null && break; sleep 0.05; done
C=$T/ackmail.conf
poll_conf "$C" processed=move
sed -i "s/^port = .*/port = $PROXY_PORT/" "$C"
printf '[rules]\npath = %s\n' "$T/rules.sieve" >> "$C"

# 1. AUTHENTICATE PLAIN
"$ACKMAIL" poll -c "$C" --once 2> "$T/log1"; st=$?
is "$st" 0 "poll logs in through the LOGIN-refusing proxy and exits 0"
[ "$st" = 0 ] || sed 's/^/# /' "$T/log1"
grep -aqi '^[^ ]* AUTHENTICATE PLAIN' "$T/sent"; ok $? "it used AUTHENTICATE PLAIN"
grep -aqi '^[^ ]* LOGIN ' "$T/sent"; ok $((! $?)) "and never sent LOGIN"

# 2. no UIDPLUS, no MOVE
grep -aqi 'UID MOVE\|UID EXPUNGE' "$T/sent"; ok $((! $?)) "no UID MOVE or UID EXPUNGE was sent"
grep -aqi '^[^ ]* UID COPY' "$T/sent"; ok $? "UID COPY was used"
is "$(dcount Support.Acme)" 2 "both printer messages copied into Support.Acme"
is "$(dcount INBOX subject foreign deleted)" 1 \
  "the other client's \\Deleted message is still there"
is "$(dcount INBOX deleted keyword '$AckmailProcessed' keyword '$AckmailExpunge')" 3 \
  "ours (2 moved, 1 discarded) wait, marked \\Deleted, processed and as ours"
grep -aqi '^[^ ]* EXPUNGE' "$T/sent"; ok $((! $?)) "no plain EXPUNGE while a foreign \\Deleted message is there"
grep -q '3 message(s) left marked \\Deleted: 1 other' "$T/log1"; ok $? "the log says why they are left"

doveadm -c "$D/dovecot.conf" flags remove -u support '\Deleted' mailbox INBOX subject foreign
"$ACKMAIL" poll -c "$C" --once 2> "$T/log2"; st=$?
is "$st" 0 "the next run exits 0"
is "$(grep -c 'uid [0-9]*: ' "$T/log2")" 0 "it processes nothing again"
grep -aqi '^[^ ]* EXPUNGE' "$T/sent"; ok $? "now a plain EXPUNGE ran"
is "$(dcount INBOX deleted)" 0 "our \\Deleted messages are gone"
is "$(dcount INBOX subject foreign)" 1 "the other client's message is kept"
is "$(dcount INBOX subject invoices keyword Seen-By-Ackmail)" 1 "the kept message is kept"
is "$(dcount Support.Acme)" 2 "nothing was copied twice"

# 3. processed = leave (direct, a mailbox of its own, a database of its own)
kill "$PROXY_PID" 2>/dev/null
for f in a1 a2 a3 a4; do mk "$T/m/l$f" "$(sed -n 's/^Subject: //p' "$T/m/$f" | tr -d '\r')"; done
imap_tool append "$IMAP_PORT" Leave "$T/m/la1" "$T/m/la2" "$T/m/la3" "$T/m/la4"
L=$T/leave.conf
poll_conf "$L" processed=leave mailbox=Leave
sed -i "s#^path = .*#path = $T/leave.db#" "$L"
printf '[rules]\npath = %s\n' "$T/rules.sieve" >> "$L"
"$ACKMAIL" poll -c "$L" --once 2> "$T/log3"; st=$?
is "$st" 0 "leave: poll exits 0"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log3")" 4 "leave: all four messages processed"
is "$(dcount Leave)" 4 "leave: all four still in the mailbox"
is "$(dcount Leave keyword '$AckmailProcessed')" 0 "leave: no processed flag"
is "$(dcount Leave \( flagged or deleted or seen or keyword Seen-By-Ackmail \))" 0 \
  "leave: no flag from the rules, no \\Deleted, not even \\Seen"
is "$(dcount Support.Acme)" 2 "leave: nothing filed into Support.Acme"
"$ACKMAIL" poll -c "$L" --once 2> "$T/log4"; st=$?
is "$st" 0 "leave: the second run exits 0"
is "$(grep -c 'uid [0-9]*: ' "$T/log4")" 0 "leave: the second run touches nothing (the stored UID)"
mk "$T/m/l5" "one more question"
imap_tool append "$IMAP_PORT" Leave "$T/m/l5"
"$ACKMAIL" poll -c "$L" --once 2> "$T/log5"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log5")" 1 "leave: a new message is processed alone"
"$ACKMAIL" poll -c "$L" --stats > "$T/stats"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["records"], d["duplicates"])' "$T/stats")" \
  "5 0" "leave: five records, no message through the pipeline twice"
done_testing
