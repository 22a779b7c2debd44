#!/bin/sh
# difftest.sh - the long differential runs (make difftest): runs every
# tests/difftest.d/*.sh, each printing TAP, and sums them up.
set -u
cd "$(dirname "$0")/.."
: "${ACKMAIL:=$(pwd)/filter/ackmail}"
export ACKMAIL
passed=0 failed=0 st=0
for t in tests/difftest.d/*.sh; do
  [ -f "$t" ] || continue
  out=$(mktemp)
  sh "$t" | tee "$out"
  p=$(grep -cE '^ok [0-9]' "$out"); f=$(grep -cE '^not ok [0-9]' "$out")
  echo "$t: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$out"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
