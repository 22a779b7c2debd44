#!/bin/sh
# ackmail deliver -r: fileinto of a folder that does not exist, without
# :create, fails the store and the message falls back to the implicit
# keep into INBOX with an error logged, as Pigeonhole does with its
# default lda_mailbox_autocreate = no. [sieve] mailbox_autocreate = yes
# keeps the old behaviour; :create and existing folders are stored into;
# the other actions of the failed result are taken back.
. "$(dirname "$0")/lib.sh"
plan 17
printf 'From: a@example.net\nTo: b@example.org\nSubject: file me\nMessage-ID: <fm-1@example.net>\n\nBody.\n' > "$T/m.eml"
cat > "$T/missing.sieve" <<'S'
require ["fileinto"];
fileinto "Missing";
S
cat > "$T/create.sieve" <<'S'
require ["fileinto", "mailbox"];
if not mailboxexists "Made" { fileinto :create "Made"; } else { fileinto "Made"; }
S
printf '[deliver]\nfsync = no\n' > "$T/default.conf"
printf '[sieve]\nmailbox_autocreate = yes\n' > "$T/auto.conf"
count() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l | tr -d ' '; }

"$ACKMAIL" deliver -c "$T/default.conf" -r "$T/missing.sieve" -m "$T/md1" < "$T/m.eml" 2> "$T/err1"
is "$?" 0 "a fileinto into a missing folder still delivers (exit 0)"
is "$(count "$T/md1/new")" 1 "the message fell back to INBOX"
[ ! -e "$T/md1/.Missing" ]
ok $? "the missing folder was not created"
grep -q 'fileinto "Missing" failed: mailbox does not exist' "$T/err1"
ok $? "the failure is logged"
cmp -s "$(find "$T/md1/new" -type f)" "$T/m.eml"
ok $? "the fallback copy is byte for byte"

mkdir -p "$T/md2/.Missing/cur" "$T/md2/.Missing/new" "$T/md2/.Missing/tmp"
"$ACKMAIL" deliver -c "$T/default.conf" -r "$T/missing.sieve" -m "$T/md2" < "$T/m.eml"
is "$(count "$T/md2/.Missing/new")" 1 "an existing folder is stored into"
is "$(count "$T/md2/new")" 0 "and not INBOX"

"$ACKMAIL" deliver -c "$T/auto.conf" -r "$T/missing.sieve" -m "$T/md3" < "$T/m.eml"
is "$(count "$T/md3/.Missing/new")" 1 "mailbox_autocreate = yes creates the folder"

"$ACKMAIL" deliver -c "$T/default.conf" -r "$T/create.sieve" -m "$T/md4" < "$T/m.eml"
is "$(count "$T/md4/.Made/new")" 1 ":create creates the folder"
"$ACKMAIL" deliver -c "$T/default.conf" -r "$T/create.sieve" -m "$T/md4" < "$T/m.eml"
is "$(count "$T/md4/.Made/new")" 2 "mailboxexists sees it afterwards and fileinto stores into it"

# mbox as the default mailbox: a missing folder file falls back to it
mkdir -p "$T/mb"
"$ACKMAIL" deliver -c "$T/default.conf" -r "$T/missing.sieve" --mbox "$T/mb/inbox" < "$T/m.eml" 2> /dev/null
[ ! -e "$T/mb/Missing" ] && grep -c '^Subject: file me$' "$T/mb/inbox" | grep -qx 1
ok $? "with an mbox default, the missing folder file is not created and the message is in the mbox"

# the check output is unchanged: fileinto prints the folder
"$ACKMAIL" check -r "$T/missing.sieve" "$T/m.eml" > "$T/check.out"
grep -q '"folder":"Missing"' "$T/check.out"
ok $? "ackmail check still prints the fileinto"

# the other actions of the failed result are taken back: a redirect queued
# in the outbox before the failing fileinto is not sent
cat > "$T/db.conf" <<C
[database]
path = $T/state.db
[outbound]
sendmail = /bin/false
C
cat > "$T/both.sieve" <<'S'
require ["fileinto"];
redirect "fwd@example.com";
fileinto "Missing";
S
"$ACKMAIL" deliver -c "$T/db.conf" -r "$T/both.sieve" -m "$T/md5" < "$T/m.eml" 2> /dev/null
is "$?" 0 "redirect + missing folder: delivered"
is "$(count "$T/md5/new")" 1 "the message is in INBOX"
"$ACKMAIL" outbox -c "$T/db.conf" list > "$T/outbox.out" 2>&1
grep -q 'fwd@example.com' "$T/outbox.out"
is "$?" 1 "the redirect queued before the failure was taken back"
cat > "$T/good.sieve" <<'S'
require ["fileinto", "mailbox"];
redirect "fwd@example.com";
fileinto :create "Made";
S
"$ACKMAIL" deliver -c "$T/db.conf" -r "$T/good.sieve" -m "$T/md5" < "$T/m.eml" 2> /dev/null
"$ACKMAIL" outbox -c "$T/db.conf" list > "$T/outbox.out" 2>&1
grep -q 'fwd@example.com' "$T/outbox.out"
ok $? "control: a redirect of a successful result is queued"
is "$(count "$T/md5/.Made/new")" 1 "control: the fileinto :create was stored"
