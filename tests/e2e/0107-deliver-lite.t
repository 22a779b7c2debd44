#!/bin/sh
# The two programs (filter/lite.c): ackmail links libc only and runs a
# plain delivery (and procmail, formail) itself, byte for byte and log
# line for log line as ackmail-full does; every other use is handed to
# ackmail-full with the message still unread; without ackmail-full that
# is exit 75.
. "$(dirname "$0")/lib.sh"

FULL=$(dirname "$ACKMAIL")/ackmail-full
[ -x "$FULL" ] || skip_all "no ackmail-full beside $ACKMAIL"

M=$T/msg.eml
printf 'From sender@example.com Mon Nov 23 10:00:00 2026\nFrom: =?utf-8?q?J=C3=B6rg?= <j@example.com>\nTo: support@example.com\nSubject: =?utf-8?b?R3LDvMOfZQ==?=\nMessage-Id: <lite1@example.com>\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b--\n' > "$M"

needed=$(objdump -p "$ACKMAIL" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
diag "ackmail needs: $needed"
echo "$needed" | grep -Eq 'glib|gobject|gio|gmime|gnutls|etpan|sqlite|mount|selinux|pcre'
ok $((!$?)) "ackmail links none of GLib, GMime, GIO, gnutls, libetpan, SQLite, libmount, libselinux, pcre2"
objdump -p "$FULL" | grep -q 'NEEDED.*gnutls'
ok $? "ackmail-full is the whole program"

# the plain delivery: same file, same log line as ackmail-full's
"$ACKMAIL" deliver -v -m "$T/a" -f '<s@example.com>' < "$M" 2> "$T/a.log"
is $? 0 "plain delivery by ackmail"
"$FULL" deliver -v -m "$T/b" -f '<s@example.com>' < "$M" 2> "$T/b.log"
is $? 0 "the same by ackmail-full"
cmp -s "$T"/a/new/* "$T"/b/new/*; ok $? "the same bytes stored"
tail -n +2 "$M" | cmp -s - "$T"/a/new/*; ok $? "the message without its From_ line"
norm() { sed 's/duration=[0-9]*ms//' "$1"; }
is "$(norm "$T/a.log")" "$(norm "$T/b.log")" "the same log line"
grep -q 'message-id=<lite1@example.com> from=<s@example.com>' "$T/a.log"
ok $? "the log line names the Message-ID and the sender"
"$ACKMAIL" deliver --mbox "$T/mb" < "$M"; is $? 0 "plain mbox delivery"
"$FULL" deliver --mbox "$T/mb2" < "$M"
cmp -s "$T/mb" "$T/mb2"; ok $? "the same mbox as ackmail-full's"

# handed over: the message arrives whole (standard input unread)
cat > "$T/rules.sieve" <<'EOF'
require ["fileinto", "mailbox", "body"];
if body :contains "hello" { fileinto :create "Hello"; }
EOF
"$ACKMAIL" deliver -m "$T/c" -r "$T/rules.sieve" < "$M"; is $? 0 "with rules"
tail -n +2 "$M" | cmp -s - "$T"/c/.Hello/new/*
ok $? "the rules (a MIME body test) ran in ackmail-full on the whole message"
"$ACKMAIL" deliver -m "$T/d" --db "$T/s.db" < "$M"; is $? 0 "with a database"
is "$(sqlite3 "$T/s.db" 'select count(*) from delivery_log')" 1 "the delivery is logged"
out=$("$ACKMAIL" deliver -n -m "$T/e" < "$M")
echo "$out" | grep -q '"implicit":true'; ok $? "a dry run is handed over"
"$ACKMAIL" check > /dev/null 2>&1; is $? 0 "other commands are handed over (check)"
"$ACKMAIL" nosuch 2> /dev/null; is $? 64 "an unknown command: 64, from ackmail-full"

# installed layout: bin/ackmail finds ../lib/ackmail/ackmail-full
mkdir -p "$T/inst/bin" "$T/inst/lib/ackmail" "$T/alone"
cp "$ACKMAIL" "$T/inst/bin/ackmail"; cp "$FULL" "$T/inst/lib/ackmail/"
"$T/inst/bin/ackmail" deliver -m "$T/f" -r "$T/rules.sieve" < "$M"
is "$(ls "$T/f/.Hello/new" | wc -l)" 1 "bin/ackmail runs lib/ackmail/ackmail-full"

# ackmail alone: plain deliveries still work, the rest is a temporary failure
cp "$ACKMAIL" "$T/alone/ackmail"
"$T/alone/ackmail" deliver -m "$T/g" < "$M"; is $? 0 "alone: a plain delivery"
printf ':0\n* ^Subject:.*R3LD\nmatched/\n' > "$T/rc"
mkdir -p "$T/pm"
(cd "$T" && "$T/alone/ackmail" procmail -m "MAILDIR=$T/pm" \
  "DEFAULT=$T/pm/inbox/" "$T/rc" < "$M")
is $? 0 "alone: ackmail procmail"
is "$(ls "$T/pm/matched/new" 2>/dev/null | wc -l)" 1 "alone: the procmailrc filed the message"
"$T/alone/ackmail" formail -r < "$M" > "$T/fa"; is $? 0 "alone: ackmail formail -r"
"$FULL" formail -r < "$M" > "$T/fb"
grep -q '^In-Reply-To: <lite1@example.com>' "$T/fa" && cmp -s "$T/fa" "$T/fb"
ok $? "the same reply header as ackmail-full's"
out=$("$T/alone/ackmail" deliver -m "$T/h" -r "$T/rules.sieve" < "$M" 2>&1)
rc=$?
case $out in
*"cannot run ackmail-full"*)
  is $rc 75 "alone: a delivery with rules is deferred (75)"
  [ ! -e "$T/h" ]; ok $? "and nothing is delivered";;
*) ok 0 "# SKIP an installed ackmail-full answered"
   ok 0 "# SKIP an installed ackmail-full answered";;
esac

done_testing
exit $((_tap_fail > 0))
