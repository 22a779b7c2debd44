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
# a c block forks a clone that runs the block and then the rest of the
# rc file: a dry run (check, deliver -n, procmail -n) lists what the
# clone would deliver too (no fork), as many times as the real procmail
# delivers there
mkdir -p "$T/cl"
for rc in 'X=parent
:0 c
{
  X=clone
  :0
  * ^Subject: nomatch
  inblock/
  :0 c
  * ^Subject
  inblock-copy/
}
:0
* X ?? clone
clone-after/
:0
* ^Subject
after/' ':0 c
{
  :0 c
  { :0
    * ^Subject: none
    deep/
  }
  :0
  * ^From
  inner/
}
:0
after/'; do
  printf '%s\n' "$rc" > "$T/cl/c.rc"
  rm -rf "$T/cl/real"; mkdir "$T/cl/real"
  # procmail does not wait for the clone: wait for its whole session
  (cd "$T/cl/real" && setsid -w sh -c 'echo $$ > ../sid; exec "$@"' sh \
     env -i PATH=/usr/bin:/bin procmail -m MAILDIR=. DEFAULT=def/ "$T/cl/c.rc" < "$M"
   sid=$(cat ../sid); i=0
   while pgrep -s "$sid" >/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done)
  a=$(cd "$T/cl/real" && find . -type f | sed -E 's#^\./##; s#/new/.*#/#' | LC_ALL=C sort)
  b=$(cd "$T/cl" && "$ACKMAIL" procmail -n -m MAILDIR=. DEFAULT=def/ "$T/cl/c.rc" < "$M" |
      sed -E 's/^folder //; s/ \(copy\)$//' | LC_ALL=C sort)
  is "$b" "$a" "procmail -n lists the clone's deliveries, as many as procmail makes"
  [ -f "$T/cl/c1.rc" ] || cp "$T/cl/c.rc" "$T/cl/c1.rc"
done
# parent and clone deliver to the same folder: procmail stores twice
# there, check lists both (not merged into one line)
printf ':0 c\n{\n  :0 c\n  same/\n}\n:0\nsame/\n' > "$T/cl/same.rc"
rm -rf "$T/cl/real"; mkdir "$T/cl/real"
(cd "$T/cl/real" && setsid -w sh -c 'echo $$ > ../sid; exec "$@"' sh \
   env -i PATH=/usr/bin:/bin procmail -m MAILDIR=. DEFAULT=def/ "$T/cl/same.rc" < "$M"
 sid=$(cat ../sid); i=0
 while pgrep -s "$sid" >/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done)
a=$(find "$T/cl/real/same" -type f | wc -l)
b=$("$ACKMAIL" check -r "$T/cl/same.rc" "$M" 2>&1 | grep -c '"folder":"same/"')
is "$b" "$a" "check: a folder that parent and clone both deliver to is listed each time"
[ "$a" -ge 2 ]; ok $? "procmail delivers there more than once ($a)"
out=$("$ACKMAIL" check -r "$T/cl/c1.rc" "$M" 2>&1)
case $out in *'"folder":"clone-after/"'*) r=0 ;; *) r=1 ;; esac
ok $r "check: what the clone does after its block is listed"
done_testing
