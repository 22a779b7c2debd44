#!/bin/sh
# A sanitizer pass inside make check: ackmail built with AddressSanitizer
# and UndefinedBehaviorSanitizer (build/asan, as `make asan` builds it);
# every unit test binary, the Sieve conformance tests, and the rule
# engines over corpus messages (Sieve and procmailrc, dry run and real
# deliveries) must finish with no sanitizer report. `make asan` runs the
# whole suite this way.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
B=build/asan
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=86:print_stacktrace=1
make -s BUILD=$B OPT="-O1 -g -fno-omit-frame-pointer" \
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
    $B/ackmail $B/ackmail-full unit > "$T/build.log" 2>&1
st=$?
ok $st "the sanitizer build (make BUILD=$B SAN=...)"
[ $st -eq 0 ] || { tail -20 "$T/build.log" | sed 's/^/# /'; done_testing; exit 0; }

# clean: exit status not 86 and no sanitizer report on stderr
clean() { # clean STATUS ERRFILE DESCRIPTION
  if [ "$1" -ne 86 ] && ! grep -q 'Sanitizer\|runtime error' "$2"; then
    ok 0 "$3"
  else
    ok 1 "$3 (exit $1)"
    grep -A12 'Sanitizer\|runtime error' "$2" | head -30 | sed 's/^/# /'
  fi
}

for u in $B/tests/test-*; do
  "$u" > "$T/unit.out" 2> "$T/unit.err"
  st=$?
  clean $st "$T/unit.err" "unit ${u##*/} under ASan/UBSan"
  [ $st -eq 0 ] || ok 1 "unit ${u##*/} passes (exit $st)"
done

"$B/ackmail" testsuite tests/sieve/*.svtest > "$T/ts.out" 2> "$T/ts.err"
st=$?
clean $st "$T/ts.err" "the Sieve conformance tests under ASan/UBSan"
tail -1 "$T/ts.out" | grep -q ' 0 failed$'
ok $? "the Sieve conformance tests pass under ASan/UBSan"

# forty corpus messages of every kind (every 37th file)
find "$CORPUS" -name '*.eml' | sort | awk 'NR % 37 == 1' > "$T/msgs"
n=$(wc -l < "$T/msgs")
[ "$n" -ge 30 ]
ok $? "picked $n corpus messages"

# dry runs of Sieve scripts and procmailrc files over all of them
for s in tests/sieve-diff/scripts/0[0-9]5-*.sieve \
    tests/sieve-diff/scripts/1[0-9]0-*.sieve rules/default.sieve \
    tests/procmail-diff/rc/block-clone.rc tests/procmail-diff/rc/score*.rc \
    rules/default.procmailrc; do
  [ -f "$s" ] || continue
  xargs "$B/ackmail" check -r "$s" -f sender@example.com \
      -a recipient@example.com < "$T/msgs" > "$T/check.out" 2> "$T/check.err"
  st=$?
  clean $st "$T/check.err" "check -r ${s##*/} over the messages"
done

# real deliveries: a Sieve script that files, flags and edits headers,
# and a procmailrc with mbox, Maildir and a clone
cat > "$T/rules.sieve" <<'EOF'
require ["fileinto", "imap4flags", "editheader", "variables", "mailbox"];
if header :matches "subject" "*re*" {
  addheader "X-Seen" "${1}";
  fileinto :create :flags "\\Seen" "Re";
} elsif exists "list-id" {
  deleteheader "received";
  fileinto :create "Lists";
}
EOF
mkdir -p "$T/home"
cat > "$T/rc" <<EOF
MAILDIR=$T/home
:0 c
copies/
:0 B
* ^.*[0-9][0-9][0-9]
digits
EOF
fails=0
while read -r m; do
  "$B/ackmail" deliver -r "$T/rules.sieve" -m "$T/Maildir" \
      -f sender@example.com -a recipient@example.com < "$m" \
      > /dev/null 2> "$T/d.err"
  st=$?
  if [ $st -eq 86 ] || grep -q 'Sanitizer\|runtime error' "$T/d.err"; then
    fails=$((fails + 1)); diag "sieve delivery of $m"
    grep -A12 'Sanitizer\|runtime error' "$T/d.err" | head -20 | sed 's/^/# /'
  fi
  "$B/ackmail" procmail -m "$T/rc" < "$m" > /dev/null 2> "$T/p.err"
  st=$?
  if [ $st -eq 86 ] || grep -q 'Sanitizer\|runtime error' "$T/p.err"; then
    fails=$((fails + 1)); diag "procmail delivery of $m"
    grep -A12 'Sanitizer\|runtime error' "$T/p.err" | head -20 | sed 's/^/# /'
  fi
done < "$T/msgs"
is "$fails" 0 "Sieve and procmail deliveries of $n messages: no sanitizer report"
got=$(find "$T/Maildir" \( -path "*/new/*" -o -path "*/cur/*" \) -type f | wc -l)
is "$got" "$n" "every Sieve delivery is in the Maildir"
ls "$T/Maildir/.Re/cur" | grep -q ':2,S$'
ok $? "fileinto :flags stored a \\Seen message in .Re/cur"
got=$(find "$T/home/copies/new" -type f | wc -l)
is "$got" "$n" "every procmail clone delivered a copy"
done_testing
