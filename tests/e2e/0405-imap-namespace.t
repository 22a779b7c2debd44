#!/bin/bash
# IMAP namespaces (RFC 2342) and modified UTF-7 names (RFC 3501 5.1.3)
# against a Dovecot whose personal namespace has the prefix "INBOX." and
# the separator ".": fileinto "Support/Grüße" lands in
# INBOX.Support.Grüße (sent as INBOX.Support.Gr&APwA3w-e), a rule that
# already writes the prefix is not prefixed twice, "&" survives, a
# watched mailbox with a non-ASCII name is polled, and the logs and
# `poll --folders` show names decoded. doveadm, which speaks UTF-8,
# is the independent judge of where the messages are.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

cat > "$T/rules.sieve" <<'SIEVE'
require ["fileinto"];
if header :contains "subject" "printer" { fileinto "Support/Grüße"; stop; }
if header :contains "subject" "prefixed" { fileinto "INBOX.Support/Grüße"; stop; }
if header :contains "subject" "research" { fileinto "R&D"; stop; }
keep;
SIEVE
printf '[rules]\npath = %s\n' "$T/rules.sieve" > "$T/check.conf"
"$ACKMAIL" check -c "$T/check.conf" > "$T/check.out" 2>&1 ||
  { cat "$T/check.out" | sed 's/^/# /'; skip_all "no Sieve engine in this build (or the rules were refused)"; }

DOVECOT_EXTRA='namespace inbox {
  inbox = yes
  prefix = INBOX.
  separator = .
}'
dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }

mk() { # FILE SUBJECT
  printf 'From: c%s@example.com\r\nTo: support@example.com\r\nSubject: %s\r\nMessage-ID: <%s.ns@example.com>\r\n\r\nbody\r\n' \
    "$RANDOM" "$2" "$(basename "$1")" > "$1"
}
mkdir -p "$T/m"
mk "$T/m/1" "the printer is offline"
mk "$T/m/2" "question about invoices"
mk "$T/m/3" "prefixed folder name"
mk "$T/m/4" "research request"
mk "$T/m/5" "printer in the other mailbox"
imap_tool append "$IMAP_PORT" INBOX "$T/m/1" "$T/m/2" "$T/m/3" "$T/m/4"
# the watched mailbox "Eingang/Über", spelt by hand on the wire
imap_tool append "$IMAP_PORT" 'INBOX.Eingang.&ANw-ber' "$T/m/5"
doveadm -c "$D/dovecot.conf" mailbox list -u support > "$T/before"
grep -qx 'INBOX.Eingang.Über' "$T/before"; ok $? "Dovecot sees the hand-encoded mailbox as INBOX.Eingang.Über"

C=$T/ackmail.conf
poll_conf "$C" processed=move "mailbox=INBOX, Eingang/Über"
printf '[rules]\npath = %s\n' "$T/rules.sieve" >> "$C"

"$ACKMAIL" poll -c "$C" --folders > "$T/folders" 2> "$T/folders.log"; st=$?
is "$st" 0 "poll --folders exits 0"
grep -qx 'INBOX.Eingang.Über' "$T/folders"; ok $? "--folders decodes the server's names"
grep -q 'personal namespace "INBOX.", separator "."' "$T/folders.log"; ok $? "--folders names the namespace"

"$ACKMAIL" poll -c "$C" --once 2> "$T/log"; st=$?
is "$st" 0 "poll --once exits 0"
[ "$st" = 0 ] || sed 's/^/# /' "$T/log"
doveadm -c "$D/dovecot.conf" mailbox list -u support > "$T/after"
grep -qx 'INBOX.Support.Grüße' "$T/after"; ok $? "fileinto \"Support/Grüße\" created INBOX.Support.Grüße"
grep -qx 'INBOX.R&D' "$T/after"; ok $? "fileinto \"R&D\" created INBOX.R&D"
grep -q '^INBOX.INBOX' "$T/after"; ok $((! $?)) "a rule that writes the prefix is not prefixed twice"
is "$(dcount 'INBOX.Support.Grüße')" 3 "both printer messages and the prefixed one are in INBOX.Support.Grüße"
is "$(imap_tool count "$IMAP_PORT" 'INBOX.Support.Gr&APwA3w-e')" 3 "on the wire the folder is INBOX.Support.Gr&APwA3w-e"
is "$(dcount 'INBOX.R&D')" 1 "the research message is in INBOX.R&D"
is "$(dcount 'INBOX.Eingang.Über')" 0 "the watched non-ASCII mailbox was polled and emptied"
is "$(dcount INBOX keyword '$AckmailProcessed')" 1 "the kept message stays in INBOX, marked"
is "$(dcount INBOX)" 1 "nothing else is left in INBOX"
grep -q 'imap support/Eingang/Über uid [0-9]*: message-id=' "$T/log"; ok $? "log lines name the watched mailbox in UTF-8"

"$ACKMAIL" poll -c "$C" --once 2> "$T/log2"; st=$?
is "$st" 0 "a second run exits 0"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log2")" 0 "and touches nothing"
done_testing
