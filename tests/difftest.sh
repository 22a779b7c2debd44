#!/bin/sh
# difftest.sh - the long differential runs against the real procmail and
# Dovecot's sieve-test (make difftest): every tests/difftest.d/*.sh.
set -u
cd "$(dirname "$0")/.."
rc=0
for t in tests/difftest.d/*.sh; do
  [ -f "$t" ] || continue
  echo "== $t"
  sh "$t" || rc=1
done
exit $rc
