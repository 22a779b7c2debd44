#!/bin/sh
# The Sieve conformance tests: ackmail testsuite over tests/sieve/*.svtest,
# one TAP line per test block.
. "$(dirname "$0")/lib.sh"
"$ACKMAIL" testsuite "$ROOT"/tests/sieve/*.svtest > "$T/out" 2>&1
st=$?
n=0
while IFS= read -r line; do
  case "$line" in
  "test "*": PASS") n=$((n + 1)); echo "ok $n - ${line% : PASS}" ;;
  "test "*": FAIL"*) n=$((n + 1)); echo "not ok $n - $line" ;;
  *": FAIL ("*) n=$((n + 1)); echo "not ok $n - $line" ;;
  "# "*) echo "$line" ;;
  *) echo "# $line" ;;
  esac
done < "$T/out"
_tap_n=$n
tail -1 "$T/out" | grep -q ' 0 failed$'
ok $? "testsuite summary says 0 failed (exit $st)"
echo "1..$_tap_n"
