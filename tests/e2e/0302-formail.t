#!/bin/sh
# 0302-formail.t - ackmail formail against the real formail: every case
# of tests/procmail/formail-cases.txt on every message in
# tests/procmail/formail/ must print the same bytes and exit the same;
# then the duplicate cache (-D) and the classic auto-responder.
. "$(dirname "$0")/lib.sh"
command -v formail >/dev/null || skip_all "formail not installed"
D=$ROOT/tests/procmail
NODATE='s/^(From [^ ]+  )[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}$/\1DATE/'
while IFS= read -r args; do
  for m in "$D"/formail/*; do
    # a generated From_ line carries the current time: not compared
    a=$( (eval "formail $args" < "$m"; echo "exit $?") | sed -E "$NODATE")
    b=$( (eval "\"\$ACKMAIL\" formail $args" < "$m"; echo "exit $?") |
      sed -E "$NODATE")
    is "$b" "$a" "formail $args < $(basename "$m")"
  done
done < "$D/formail-cases.txt"
# -D: new, then duplicate; by Message-ID and, with -r, by sender
for opt in "" "-r"; do
  for prog in formail "$ACKMAIL formail"; do
    rm -f "$T/cache"
    $prog $opt -D 8192 "$T/cache" < "$D/formail/env-from.eml"; s1=$?
    $prog $opt -D 8192 "$T/cache" < "$D/formail/env-from.eml"; s2=$?
    $prog $opt -D 8192 "$T/cache" < "$D/formail/folded.eml"; s3=$?
    is "$s1 $s2 $s3" "1 0 1" "$prog $opt -D: new, duplicate, new"
  done
  rm -f "$T/cache"
  formail $opt -D 8192 "$T/cache" < "$D/formail/env-from.eml"
  $ACKMAIL formail $opt -D 8192 "$T/cache" < "$D/formail/env-from.eml"
  is "$?" 0 "ackmail formail $opt -D reads formail's cache"
done
# the classic auto-responders with ackmail formail instead of formail:
# procmail + formail and ackmail procmail + ackmail formail deliver and
# send the same bytes
mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" formail "$@"\n' "$ACKMAIL" > "$T/bin/formail"
chmod 755 "$T/bin/formail"
P=$ROOT/tests/procmail-diff
for r in ex-autoreply ex-formail-rt ex-duplicates ex-formail-add ex-formail-x \
    var-backquote-formail ex-x-loop; do
  for m in $(sed -n '1p;3p;6p' "$P/messages.txt"); do
    a=$(cd "$P" && sh manifest.sh procmail "rc/$r.rc" "$CORPUS/$m")
    [ -n "$(cd "$P" && sh manifest.sh "$ACKMAIL procmail" "rc/$r.rc" \
      "$CORPUS/$m" "PATH=/nonexistent" | grep -c sent/)" ] || true
    b=$(cd "$P" && sh manifest.sh "$ACKMAIL procmail" "rc/$r.rc" \
      "$CORPUS/$m" "PATH=$T/bin:/usr/bin:/bin")
    is "$b" "$a" "without formail: $r on $(basename "$m")"
  done
done
done_testing
