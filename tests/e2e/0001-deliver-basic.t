#!/bin/sh
# ackmail deliver and ackmail check on the real binary: options, the
# default mailbox, the From_ line, dry runs, the delivery log, exit codes,
# configuration errors.
. "$(dirname "$0")/lib.sh"

M=$T/msg.eml
printf 'From sender@example.com Mon Nov 23 10:00:00 2026\nFrom: A <a@example.com>\nTo: support@example.com\nSubject: hello\nMessage-ID: <m1@example.com>\n\nbody line\nFrom here on\n' > "$M"

"$ACKMAIL" --version | grep -q '^ackmail [0-9]'; ok $? "--version"
"$ACKMAIL" deliver --help | grep -q -- '--maildir'; ok $? "deliver --help lists the options"
"$ACKMAIL" deliver --bogus < "$M" 2>/dev/null; is $? 64 "an unknown option is a usage error (64)"

"$ACKMAIL" deliver -m "$T/Maildir" -f sender@example.com < "$M"; is $? 0 "delivers into a Maildir"
f=$(ls "$T"/Maildir/new/* 2>/dev/null)
tail -n +2 "$M" | cmp -s - "$f"; ok $? "Maildir copy is the message without its From_ line, byte for byte"
is "$(ls "$T/Maildir/tmp" | wc -l)" 0 "nothing left in tmp/"

"$ACKMAIL" deliver --mbox "$T/mbox" -f '<>' < "$M"; is $? 0 "delivers into an mbox"
head -1 "$T/mbox" | grep -q '^From sender@example.com '; ok $? "mbox keeps the message's own From_ line"
grep -q '^>From here on' "$T/mbox"; ok $? "mbox quotes From_ in the body"

out=$("$ACKMAIL" deliver -n -m "$T/dry" < "$M")
is "$out" '{"action":"store","folder":"INBOX","flags":[],"implicit":true,"copy":false}' "dry run prints the implicit keep"
[ ! -e "$T/dry" ]; ok $? "dry run delivers nothing"

"$ACKMAIL" deliver -m "$T/M2" --db "$T/state.db" < "$M"; is $? 0 "delivery with a state database"
n=$(sqlite3 "$T/state.db" "select count(*) from delivery_log where message_id='m1@example.com'")
is "$n" 1 "the delivery log has the message"
"$ACKMAIL" deliver -n -m "$T/M2" --db "$T/state2.db" < "$M"
[ ! -e "$T/state2.db" ]; ok $? "dry run never writes the database"

# a database that cannot be opened is transient: exit 75, no message
mkdir -p "$T/ro"; chmod 555 "$T/ro"
runuser -u nobody -- "$ACKMAIL" deliver -m "$T/M3" --db "$T/ro/sub/db" < "$M" 2>/dev/null
is $? 75 "an unusable state database gives 75"
[ -z "$(ls "$T"/M3/new 2>/dev/null)" ]; ok $? "and nothing is delivered"

# malformed mail is still delivered
printf '\x00\xff garbage without headers\n\n\n--\n' > "$T/bad.eml"
"$ACKMAIL" deliver -m "$T/M4" < "$T/bad.eml"; is $? 0 "garbage is delivered"
cmp -s "$T/bad.eml" "$T"/M4/new/*; ok $? "byte for byte"
: > "$T/empty.eml"
"$ACKMAIL" deliver -m "$T/M5" < "$T/empty.eml"; is $? 0 "an empty message is delivered"

# configuration: lookup, validation, errors with file:line
cat > "$T/bad.conf" <<CONF
[deliver]
maildir = $T/M6
[notices]
deadline = soon
[nonsense]
x = 1
CONF
out=$("$ACKMAIL" check -c "$T/bad.conf" 2>&1); st=$?
is $st 78 "check reports a bad configuration with 78"
echo "$out" | grep -q "bad.conf:4: deadline: expected a duration"; ok $? "with file:line and the reason"
echo "$out" | grep -q "bad.conf:6: unknown section \[nonsense\]"; ok $? "unknown sections are named"
printf '[deliver]\nmaildir = %s/M7\n' "$T" > "$T/good.conf"
"$ACKMAIL" check -c "$T/good.conf"; is $? 0 "a good configuration checks clean"
ACKMAIL_CONFIG=$T/good.conf "$ACKMAIL" deliver < "$M"; is $? 0 "\$ACKMAIL_CONFIG is honoured"
[ -n "$(ls "$T"/M7/new)" ]; ok $? "and its maildir used"
printf '[deliver\n' > "$T/broken.conf"
"$ACKMAIL" deliver -c "$T/broken.conf" < "$M" 2>/dev/null; is $? 78 "an unreadable configuration is 78"
HOME=$T/home "$ACKMAIL" deliver < "$M"; is $? 0 "default mailbox ~/Maildir"
[ -n "$(ls "$T"/home/Maildir/new)" ]; ok $? "is created on demand"
done_testing
