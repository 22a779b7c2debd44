#!/bin/sh
# ackmail deliver -r with the duplicate test (RFC 7352): the id is
# recorded only when the message was delivered as the script said, inside
# the delivery's transaction, as Pigeonhole does. A delivery that fails
# (exit 75, the MTA retries) does not mark the message as seen, nor does
# one that fell back to INBOX; `ackmail check` never records anything.
. "$(dirname "$0")/lib.sh"
plan 15
printf 'From: a@example.net\nTo: b@example.org\nSubject: dup\nMessage-ID: <dup-e2e-1@example.net>\n\nBody.\n' > "$T/m.eml"
printf 'From: a@example.net\nTo: b@example.org\nSubject: dup\nMessage-ID: <dup-e2e-2@example.net>\n\nBody.\n' > "$T/m2.eml"
cat > "$T/ackmail.conf" <<C
[database]
path = $T/state.db
C
cat > "$T/dup.sieve" <<'S'
require ["duplicate", "fileinto", "mailbox"];
if duplicate { fileinto :create "Dups"; stop; }
S
deliver() { "$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup.sieve" "$@"; }
count() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l | tr -d ' '; }

# ackmail check records nothing
"$ACKMAIL" check -c "$T/ackmail.conf" -r "$T/dup.sieve" "$T/m.eml" > /dev/null
"$ACKMAIL" check -c "$T/ackmail.conf" -r "$T/dup.sieve" "$T/m.eml" > "$T/check.out"
grep -q '"folder":"Dups"' "$T/check.out"
is "$?" 1 "ackmail check does not record the id"

# a failed delivery: the default mailbox is a file, so even the keep fails
: > "$T/not-a-dir"
deliver -m "$T/not-a-dir" < "$T/m.eml" 2> /dev/null
is "$?" 75 "an unwritable mailbox gives exit 75"
deliver -m "$T/not-a-dir" < "$T/m.eml" 2> /dev/null
is "$?" 75 "and again on the MTA's retry"

# the MTA's retry with a working mailbox: not a duplicate
deliver -m "$T/md" < "$T/m.eml"
is "$?" 0 "the retry is delivered"
is "$(count "$T/md/new")" 1 "the failed deliveries did not mark the message as seen: INBOX"
is "$(count "$T/md/.Dups/new")" 0 "nothing in Dups yet"

# now it was delivered: the next copy is a duplicate
deliver -m "$T/md" < "$T/m.eml"
is "$(count "$T/md/.Dups/new")" 1 "the second copy after a successful delivery is a duplicate"

# a delivery that fell back to INBOX (the script's fileinto failed) is
# not recorded either
cat > "$T/dup2.sieve" <<'S'
require ["duplicate", "fileinto"];
if duplicate { fileinto "Seen-Before"; stop; }
fileinto "No-Such-Folder";
S
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup2.sieve" -m "$T/md2" < "$T/m2.eml" 2> /dev/null
is "$?" 0 "fallback delivery"
mkdir -p "$T/md2/.Seen-Before/cur" "$T/md2/.Seen-Before/new" "$T/md2/.Seen-Before/tmp"
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup2.sieve" -m "$T/md2" < "$T/m2.eml" 2> /dev/null
is "$(count "$T/md2/.Seen-Before/new")" 0 "a fallback delivery did not mark the message as seen"
is "$(count "$T/md2/new")" 2 "both copies fell back to INBOX"
mkdir -p "$T/md2/.No-Such-Folder/cur" "$T/md2/.No-Such-Folder/new" "$T/md2/.No-Such-Folder/tmp"
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup2.sieve" -m "$T/md2" < "$T/m2.eml"
is "$(count "$T/md2/.No-Such-Folder/new")" 1 "with the folder there the script's fileinto succeeds"
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup2.sieve" -m "$T/md2" < "$T/m2.eml"
is "$(count "$T/md2/.Seen-Before/new")" 1 "and only then is the next copy a duplicate"

# :last ids are kept apart from the plain ones (as Pigeonhole does): a
# message recorded by a plain duplicate test is new to a :last test
printf 'From: a@example.net\nTo: b@example.org\nSubject: dup\nMessage-ID: <dup-e2e-3@example.net>\n\nBody.\n' > "$T/m3.eml"
cat > "$T/dup3.sieve" <<'S'
require ["duplicate", "fileinto", "mailbox"];
if duplicate :last { fileinto :create "Last"; stop; }
S
deliver -m "$T/md3" < "$T/m3.eml"
deliver -m "$T/md3" < "$T/m3.eml"
is "$(count "$T/md3/.Dups/new")" 1 "the plain test sees its own record"
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup3.sieve" -m "$T/md3" < "$T/m3.eml"
is "$(count "$T/md3/.Last/new")" 0 "a :last test does not see the plain test's record"
"$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/dup3.sieve" -m "$T/md3" < "$T/m3.eml"
is "$(count "$T/md3/.Last/new")" 1 "but sees its own"
