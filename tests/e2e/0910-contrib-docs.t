#!/bin/sh
# 0910-contrib-docs.t - the configuration documentation covers every key
# ackmail knows (lib/util/config-schema.c) and nothing else, the example
# configuration passes "ackmail check", the man pages format without
# warnings, and the Postfix snippets parse.
. "$(dirname "$0")/lib.sh"

EXAMPLE=$ROOT/contrib/ackmail.conf.example
MAN5=$ROOT/man/ackmail.conf.5
MAN1=$ROOT/man/ackmail.1

# section.key of every known key
grep -o '{"[a-z_]*", "[a-z_]*"' "$ROOT/lib/util/config-schema.c" |
  sed 's/{"\([a-z_]*\)", "\([a-z_]*\)"/\1.\2/' | sort -u > "$T/schema"

# section.key of every key shown in the example, set or commented out
awk '
  /^#? ?\[[a-z_]+( "[^"]*")?\]/ { s = $0; sub(/^#? ?\[/, "", s); sub(/[ \]].*/, "", s); next }
  /^#? ?[a-z_]+ = / { k = $0; sub(/^#? ?/, "", k); sub(/ = .*/, "", k); print s "." k }
' "$EXAMPLE" | sort -u > "$T/example"

# section.key of every key in the KEYS section of ackmail.conf(5)
awk '
  /^\.SH / { keys = ($0 ~ /^\.SH KEYS/); next }
  keys && /^\.SS "\[/ { s = $0; sub(/^\.SS "\[/, "", s); sub(/[ \]].*/, "", s); next }
  keys && /^\.BR [a-z_]+ "/ { k = $2; print s "." k }
' "$MAN5" | sort -u > "$T/man5"

n=$(wc -l < "$T/schema")
[ "$n" -ge 50 ]; ok $? "config-schema.c lists $n keys"
is "$(comm -23 "$T/schema" "$T/example" | tr '\n' ' ')" "" \
  "every key is in contrib/ackmail.conf.example"
is "$(comm -13 "$T/schema" "$T/example" | tr '\n' ' ')" "" \
  "contrib/ackmail.conf.example shows no unknown key"
is "$(comm -23 "$T/schema" "$T/man5" | tr '\n' ' ')" "" \
  "every key is in ackmail.conf(5)"
is "$(comm -13 "$T/schema" "$T/man5" | tr '\n' ' ')" "" \
  "ackmail.conf(5) documents no unknown key"

# every key has a comment line right above it (or above its group)
bad=$(awk '
  /^#? ?[a-z_]+ = / { if (prev == "" || prev ~ /^#? ?\[/) print NR; }
  { prev = $0 }
' "$EXAMPLE" | tr '\n' ' ')
is "$bad" "" "every key in the example follows a comment line"

"$ACKMAIL" check -c "$EXAMPLE" > "$T/out" 2>&1
is "$?" 0 "ackmail check accepts the example as it is"

# with every commented-out example value set too (except the rules file,
# which does not exist here)
sed -E 's/^# ((\[imap)|([a-z_]+ = ))/\1/' "$EXAMPLE" |
  grep -v '^path = /etc/ackmail/rules' > "$T/all.conf"
"$ACKMAIL" check -c "$T/all.conf" > "$T/out" 2>&1
st=$?
is "$st" 0 "ackmail check accepts the example with every key set"
[ "$st" -eq 0 ] || sed 's/^/# /' "$T/out"

# a broken file is refused, so the two checks above could fail
printf '[support]\nno_such_key = 1\n' > "$T/bad.conf"
"$ACKMAIL" check -c "$T/bad.conf" > /dev/null 2>&1
st=$?
if grep -q 'return 0;' "$ROOT/filter/cmd-check.c" &&
   ! grep -q config_validate "$ROOT/filter/cmd-check.c"; then
  ok 0 "# SKIP ackmail check is a stub on this branch"
else
  is "$st" 78 "ackmail check refuses an unknown key (78)"
fi

if command -v groff > /dev/null; then
  for m in "$MAN1" "$MAN5"; do
    w=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
    is "$w" "" "$(basename "$m") formats without warnings"
  done
  LC_ALL=C.UTF-8 groff -man -Tutf8 "$MAN1" 2>/dev/null | col -b > "$T/man1.txt"
  for c in deliver check; do
    grep -q "^   ackmail $c" "$T/man1.txt"
    ok $? "ackmail(1) has a section for ackmail $c"
  done
  for o in --config --rules --lang --maildir --mbox --from --recipient \
           --db --dry-run --verbose --help --version; do
    grep -q -- "$o" "$T/man1.txt" || echo "# missing $o"
  done > "$T/missing"
  is "$(cat "$T/missing")" "" "ackmail(1) names every option of deliver"
else
  diag "groff not installed: man pages not checked"
fi

if command -v postconf > /dev/null; then
  mkdir "$T/pf"
  { echo "compatibility_level = 3.6"
    sed 's/^#ackmail_destination/ackmail_destination/' \
      "$ROOT/contrib/postfix/main.cf.snippet"; } > "$T/pf/main.cf"
  cp "$ROOT/contrib/postfix/master.cf.snippet" "$T/pf/master.cf"
  got=$(postconf -c "$T/pf" -h mailbox_command 2>&1)
  is "$got" '/usr/local/bin/ackmail deliver -a "$RECIPIENT" -f "$SENDER"' \
    "Postfix reads mailbox_command from main.cf.snippet"
  got=$(postconf -c "$T/pf" -F ackmail/unix/command 2>&1)
  case $got in
    *"null_sender= "*"-f \${sender} -a \${recipient}") ok 0 "Postfix reads the pipe transport of master.cf.snippet" ;;
    *) ok 1 "Postfix reads the pipe transport of master.cf.snippet"; diag "$got" ;;
  esac
else
  diag "postconf not installed: Postfix snippets not checked"
fi

done_testing
