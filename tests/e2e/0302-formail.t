#!/bin/sh
# 0302-formail.t - ackmail formail against the real formail: every case
# of tests/procmail/formail-cases.txt on every message in
# tests/procmail/formail/, and of formail-corpus-cases.txt on messages
# and mailboxes of the shared corpus, must print the same bytes and exit
# the same (a generated From_ line's date aside); -n side by side;
# a message with NULs; BABYL files (tests/procmail/formail-babyl/) with
# -B; then the duplicate cache (-D, its keys) and the classic
# auto-responder.
. "$(dirname "$0")/lib.sh"
command -v formail >/dev/null || skip_all "formail not installed"
D=$ROOT/tests/procmail
NODATE='s/^((From )?[^ ]+  )[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}$/\1DATE/'
while IFS= read -r args; do
  for m in "$D"/formail/*; do
    # a generated From_ line carries the current time: not compared
    a=$( (eval "formail $args" < "$m"; echo "exit $?") | sed -E "$NODATE")
    b=$( (eval "\"\$ACKMAIL\" formail $args" < "$m"; echo "exit $?") |
      sed -E "$NODATE")
    is "$b" "$a" "formail $args < $(basename "$m")"
  done
done < "$D/formail-cases.txt"
# the same on messages of the shared corpus (CRLF, CR only, null return
# paths, folded and 8-bit subjects, NUL-free) and its mailboxes
while IFS= read -r args; do
  case $args in '#'*|'') continue;; esac
  for m in $(sed -n '1,12p;14,22p' "$ROOT/tests/procmail-diff/messages.txt"); do
    a=$( (eval "formail $args" < "$CORPUS/$m" 2>/dev/null; echo "exit $?") |
      sed -E "$NODATE")
    b=$( (eval "\"\$ACKMAIL\" formail $args" < "$CORPUS/$m" 2>/dev/null
      echo "exit $?") |
      sed -E "$NODATE")
    is "$b" "$a" "formail $args < corpus/$m"
  done
done < "$D/formail-corpus-cases.txt"
for args in "-s" "-d -s" "-m 3 -s" "+1 -1 -s" "-l box -s" "-rs" \
    "-s sh -c 'echo \"[\$FILENO]\"; cat'"; do
  for m in mimekit/mbox/content-length.mbox mimekit/mbox/unmunged.mbox \
      mimekit/mbox/simple.mbox gmime/mbox/substring.mbox; do
    a=$( (eval "formail $args" < "$CORPUS/$m" 2>/dev/null; echo "exit $?") |
      sed -E "$NODATE")
    b=$( (eval "\"\$ACKMAIL\" formail $args" < "$CORPUS/$m" 2>/dev/null
      echo "exit $?") |
      sed -E "$NODATE")
    is "$b" "$a" "formail $args < corpus/$m"
  done
done
# a NUL in a field is a byte like any other (compared through od:
# $(...) drops NULs); a NUL in a name ends the header
printf 'From: a@b.c\nSubject: a\000b\nCc: x\000y\n  z\000\nX-N\000: c\n\nbo\000dy\n' \
  > "$T/nul.eml"
for args in "" "-c" "-z" "-X Subject:" "-x Cc:" "-zx Cc:" "-i Subject:" \
    "-R Subject: X-S:" "-I Cc:" "-s"; do
  a=$( (eval "formail $args" < "$T/nul.eml"; echo "exit $?") |
    sed -E "$NODATE" | od -c)
  b=$( (eval "\"\$ACKMAIL\" formail $args" < "$T/nul.eml"; echo "exit $?") |
    sed -E "$NODATE" | od -c)
  is "$b" "$a" "formail $args < a message with NULs"
done
# -B: BABYL rmail files, split (-B needs -s, as formail)
for args in "-s" "-s cat" "-f -s" "-r -s" "-rk -s" "-rkb -s" "-rt -s" \
    "-rk -p '| ' -s" "-b -s" "-x Subject: -s" "-X From: -X To: -s" "-c -s" \
    "-z -s" "-u Received: -I X-Loop: -s" "-i Subject: -s" "-a X-New: 1 -s" \
    "-l box -s" "-rl box -s" "+1 -s" "-1 -s" "+1 -1 -s" "-m 3 -s" "-m 1 -s" \
    "-e -d -s" "" "-B" "-s sh -c 'echo \"[\$FILENO]\"; cat'" \
    "-s sh -c 'cat >/dev/null; exit \$((\${FILENO#00} + 3))'"; do
  for m in "$D"/formail-babyl/*.babyl; do
    a=$( (eval "timeout 20 formail -B $args" < "$m" 2>/dev/null
      echo "exit $?") | sed -E "$NODATE")
    b=$( (eval "\"\$ACKMAIL\" formail -B $args" < "$m" 2>/dev/null
      echo "exit $?") | sed -E "$NODATE")
    is "$b" "$a" "formail -B $args < $(basename "$m")"
  done
done
# -B -n: the same messages reach the commands
for prog in formail "$ACKMAIL formail"; do
  d=$T/babyl-n-${prog##*/}
  mkdir -p "$d"
  D_OUT=$d $prog -B -n 2 -s sh -c 'cat > "$D_OUT/$FILENO"' \
    < "$D/formail-babyl/rmail.babyl"
  echo "exit $?" > "$d/status"
done
a=$(cd "$T/babyl-n-formail" && cat status && ls && cat 0* | sed -E "$NODATE")
b=$(cd "$T/babyl-n-ackmail formail" && cat status && ls && cat 0* |
  sed -E "$NODATE")
is "$b" "$a" "formail -B -n 2 -s: the same messages, the same status"
# -B -D: duplicates by Message-ID are not split out
for prog in formail "$ACKMAIL formail"; do
  rm -f "$T/bcache"
  cat "$D/formail-babyl/rmail.babyl" "$D/formail-babyl/rmail.babyl" |
    $prog -B -D 8192 "$T/bcache" -s | sed -E "$NODATE" > "$T/bdup-${prog##*/}"
done
is "$(cat "$T/bdup-ackmail formail")" "$(cat "$T/bdup-formail")" \
  "formail -B -D -s: duplicates left out"
# -a Message-ID: makes one up (when missing): compared as <ID>
NOID="s/<[^<>@]*@$(hostname)>/<ID>/"
for args in "-f -a Message-ID:" "-a Resent-Message-ID:" "-r -a Message-Id:" \
    "-f -A Message-ID:"; do
  for m in "$D"/formail/*.eml; do
    a=$( (eval "formail $args" < "$m"; echo "exit $?") | sed -E "$NODATE;$NOID")
    b=$( (eval "\"\$ACKMAIL\" formail $args" < "$m"; echo "exit $?") |
      sed -E "$NODATE;$NOID")
    is "$b" "$a" "formail $args < $(basename "$m")"
  done
done
# -n: the commands run side by side; the same messages reach them
k=0
for n in "-n -s" "-n 2 -s" "-n3 -s"; do
  k=$((k + 1))
  for prog in formail "$ACKMAIL formail"; do
    d=$T/split-$k-${prog##*/}
    mkdir -p "$d"
    D_OUT=$d $prog $n sh -c 'cat > "$D_OUT/$FILENO"' \
      < "$CORPUS/mimekit/mbox/content-length.mbox"
    echo "exit $?" > "$d/status"
  done
  a=$(cd "$T/split-$k-formail" && cat status && ls && cat 0* |
    sed -E "$NODATE" | cksum)
  b=$(cd "$T/split-$k-ackmail formail" && cat status && ls && cat 0* |
    sed -E "$NODATE" | cksum)
  is "$b" "$a" "formail $n: the same messages, the same status"
done
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
# -D keys: the last Message-ID, as it came but for leading spaces
printf 'Message-ID: <x@y>\nMessage-ID: <a@b> \n\nb\n' > "$T/d1"
printf 'Message-ID:  <a@b> \n\nb\n' > "$T/d2"
printf 'Message-ID: <x@y>\n\nb\n' > "$T/d3"
for prog in formail "$ACKMAIL formail"; do
  rm -f "$T/dcache"
  r=
  for f in d1 d2 d3 d1; do
    $prog -D 1000 "$T/dcache" < "$T/$f"
    r="$r $?"
  done
  od -c "$T/dcache" > "$T/dcache-${prog##*/}"
  echo "$r" >> "$T/dcache-${prog##*/}"
done
is "$(cat "$T/dcache-ackmail formail")" "$(cat "$T/dcache-formail")" \
  "-D: the same keys, the same answers"
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
