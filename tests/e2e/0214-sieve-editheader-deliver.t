#!/bin/sh
# ackmail deliver -r with editheader (RFC 5293): the edits reach the
# delivered message as Pigeonhole applies them. Every store, redirect and
# pipe carries the header as edited before it; the implicit keep carries
# every edit; fields nobody touched keep their bytes; a message without
# edits is stored byte for byte; Received cannot be deleted; a runtime
# error keeps the message as received.
. "$(dirname "$0")/lib.sh"
plan 19
cat > "$T/sendmail" <<'S'
#!/bin/sh
cat > "$(dirname "$0")/redirected"
S
chmod +x "$T/sendmail"
cat > "$T/ackmail.conf" <<C
[outbound]
sendmail = $T/sendmail
C
printf 'Received: from mx.example.net by mail.example.org; Mon, 23 Nov 2026 09:00:00 +0000\nFrom: Customer <cust@example.net>\nTo: support@example.org\nSubject: a subject\n  folded over two lines\nX-Spam-Flag: YES\nMessage-ID: <edit-1@example.net>\n\nBody line.\n' > "$T/m.eml"
deliver() { # deliver SCRIPT-TEXT [deliver options...]
  printf '%s\n' "$1" > "$T/s.sieve"; shift
  "$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/s.sieve" -f cust@example.net -a support@example.org "$@" < "$T/m.eml"
}
one() { find "$1/new" -type f | head -1; }

# 1. edits before a fileinto, kept bytes elsewhere
deliver 'require ["editheader", "fileinto", "mailbox"];
addheader "X-Filter" "ackmail";
deleteheader "X-Spam-Flag";
fileinto :create "Filtered";' -m "$T/md1"
ok $? "delivered with edits"
f=$(one "$T/md1/.Filtered")
{ printf 'X-Filter: ackmail\n'; grep -v '^X-Spam-Flag' "$T/m.eml"; } > "$T/want1"
cmp -s "$f" "$T/want1"
ok $? "the stored message is the original with X-Filter on top and X-Spam-Flag gone, byte for byte otherwise"

# 2. no edits at all: byte-identical
deliver 'require ["editheader", "fileinto", "mailbox"];
if header :contains "subject" "nothing-matches" { deleteheader "subject"; }
deleteheader "X-Not-There";
fileinto :create "Plain";' -m "$T/md2"
cmp -s "$(one "$T/md2/.Plain")" "$T/m.eml"
ok $? "without effective edits the message is stored byte for byte"

# 3. each action keeps the header of its moment; the keep every edit
deliver 'require ["editheader", "fileinto", "mailbox", "copy"];
fileinto :create "Before";
addheader :last "X-After" "1";
fileinto :create "Middle";
deleteheader "subject";' -m "$T/md3"
b=$(one "$T/md3/.Before"); m=$(one "$T/md3/.Middle"); k=$(one "$T/md3")
cmp -s "$b" "$T/m.eml"
ok $? "the fileinto before any edit stores the message as received"
grep -q '^X-After: 1$' "$m" && grep -q '^Subject: a subject$' "$m"
ok $? "the fileinto after addheader has X-After and still the subject"
n=$(find "$T/md3/new" -type f | wc -l | tr -d ' ')
is "$n" 0 "fileinto cancelled the implicit keep"
deliver 'require ["editheader"];
addheader :last "X-After" "1";
deleteheader "subject";' -m "$T/md4"
k=$(one "$T/md4")
grep -q '^X-After: 1$' "$k" && ! grep -qi '^subject:' "$k" && ! grep -q '^  folded' "$k"
ok $? "the implicit keep carries every edit (the folded subject is gone whole)"

# 4. explicit keep after an edit, and a later edit not seen by it
deliver 'require ["editheader", "fileinto", "mailbox"];
addheader "X-Kept" "yes";
keep;
addheader "X-Late" "yes";
fileinto :create "Late";' -m "$T/md5"
k=$(one "$T/md5"); l=$(one "$T/md5/.Late")
grep -q '^X-Kept: yes$' "$k" && ! grep -q '^X-Late' "$k"
ok $? "keep stores the header of its moment"
grep -q '^X-Kept: yes$' "$l" && grep -q '^X-Late: yes$' "$l"
ok $? "the later fileinto has both edits"

# 5. mbox
deliver 'require ["editheader"];
addheader "X-Mbox" "edited";' --mbox "$T/mbox"
ok $? "delivered to an mbox"
grep -q '^X-Mbox: edited$' "$T/mbox" && grep -q '^From cust@example.net ' "$T/mbox" && [ "$(head -1 "$T/mbox" | cut -c1-5)" = "From " ]
ok $? "the mbox has the From_ line and the edited header"
grep -q '^X-Spam-Flag: YES$' "$T/mbox" && grep -q '^Body line\.$' "$T/mbox"
ok $? "the mbox keeps the untouched fields and the body"

# 6. redirect (sendmail, no state database) after an edit
rm -f "$T/redirected"
deliver 'require ["editheader"];
deleteheader "X-Spam-Flag";
addheader "X-Redirected-By" "ackmail";
redirect "fwd@example.com";
addheader "X-Too-Late" "1";' -m "$T/md6"
ok $? "delivered with a redirect"
grep -q '^X-Redirected-By: ackmail$' "$T/redirected" && ! grep -q '^X-Spam-Flag' "$T/redirected" && ! grep -q '^X-Too-Late' "$T/redirected"
ok $? "the redirected copy has the edits made before the redirect only"

# 7. protected fields
deliver 'require ["editheader"];
deleteheader "received";
deleteheader "auto-submitted";' -m "$T/md7" 2> "$T/err7"
grep -q '^Received: from mx.example.net' "$(one "$T/md7")"
ok $? "Received cannot be deleted"
grep -q "protected" "$T/err7"
ok $? "the denied edit is reported as a warning"

# 8. a runtime error after edits: the message as received
deliver 'require ["editheader", "fileinto", "encoded-character"];
addheader "X-Edited" "1";
fileinto "bad${hex:ff}";' -m "$T/md8" 2> /dev/null
k=$(one "$T/md8")
cmp -s "$k" "$T/m.eml"
ok $? "after a runtime error the message is kept as received"

# 9. an 8-bit value is RFC 2047 encoded in the stored header
deliver 'require ["editheader"];
addheader "X-Note" "Grüße";' -m "$T/md9"
k=$(one "$T/md9")
grep -q '^X-Note: =?utf-8?b?R3LDvMOfZQ==?=$' "$k"
ok $? "8-bit text is stored RFC 2047 encoded"

# 10. CRLF messages get CRLF fields
printf 'From: a@example.net\r\nSubject: crlf\r\n\r\nbody\r\n' > "$T/m.eml"
deliver 'require ["editheader"];
addheader :last "X-Crlf" "yes";' -m "$T/md10"
printf 'From: a@example.net\r\nSubject: crlf\r\nX-Crlf: yes\r\n\r\nbody\r\n' > "$T/want10"
cmp -s "$(one "$T/md10")" "$T/want10"
ok $? "a CRLF message gets its added field with CRLF"
