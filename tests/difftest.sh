#!/bin/sh
# difftest.sh - the long differential runs (make difftest): every
# tests/difftest.d/*.sh; fails when any of them fails.
cd "$(dirname "$0")/.."
st=0
for t in tests/difftest.d/*.sh; do
  [ -f "$t" ] || continue
  echo "== $t"
  sh "$t" || st=1
done
exit $st
