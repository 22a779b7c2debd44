#!/bin/sh
# 0303-procmail-deliver.t - a procmailrc through ackmail deliver -r and
# ackmail check: recognised by content, delivered by the rc itself,
# DEFAULT is the -m Maildir, errors as file:line:col, the support hook.
. "$(dirname "$0")/lib.sh"
M=$T/msg
printf 'From: a@example.org\nSubject: printer on fire\n\nhelp\n' > "$M"
mkdir -p "$T/mail"
cat > "$T/rc" <<RC
MAILDIR=$T/mail
:0
* ^Subject:.*printer
printers/
RC
"$ACKMAIL" deliver -r "$T/rc" -m "$T/mail/inbox" < "$M"
is "$?" 0 "deliver -r procmailrc exits 0"
is "$(ls "$T/mail/printers/new" 2>/dev/null | wc -l | tr -d ' ')" 1 "filed by the rc"
printf 'From: a@example.org\nSubject: other\n\nx\n' |
  "$ACKMAIL" deliver -r "$T/rc" -m "$T/mail/inbox"
is "$(ls "$T/mail/inbox/new" 2>/dev/null | wc -l | tr -d ' ')" 1 "no match: the default Maildir"
printf ':0 Q\nx/\n@@@\n' > "$T/bad.rc"
out=$("$ACKMAIL" check -r "$T/bad.rc" 2>&1); st=$?
is "$st" 65 "check: a broken procmailrc exits 65"
case $out in *"bad.rc:1:4: error: unknown recipe flag 'Q'"*) r=0 ;; *) r=1 ;; esac
ok $r "check: file:line:col for a bad flag"
case $out in *"bad.rc:3:1: error: syntax error"*) r=0 ;; *) r=1 ;; esac
ok $r "check: file:line:col for a bad line"
printf ':0 c\n* ^Subject:.*printer\n| ackmail support acknowledge template=default\n:0\nkept/\n' > "$T/sup.rc"
out=$("$ACKMAIL" check -r "$T/sup.rc" "$M" 2>&1)
case $out in *'"action":"support","op":"acknowledge"'*) r=0 ;; *) r=1 ;; esac
ok $r "check: | ackmail support is the support hook"
case $out in *'"folder":"kept/"'*) r=0 ;; *) r=1 ;; esac
ok $r "check: the folder action is listed"
done_testing
