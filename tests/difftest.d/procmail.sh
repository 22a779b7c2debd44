#!/bin/sh
# procmail.sh - the full procmail cross product: every rc in
# tests/procmail-diff/rc x every message in messages.txt, real procmail
# vs ackmail procmail (procmail-oracle). Open differences are listed in
# tests/procmail-diff/known-diff.txt and docs/compatibility.md.
cd "$(dirname "$0")/../.."
out=$(bash tests/procmail-diff/run.sh -k; bash tests/procmail-diff/run.sh -l -s 2 -n 3
  bash tests/procmail-diff/run.sh -l -g verbose- -s 2 -n 6
  bash tests/procmail-diff/run.sh -l -f pairs.txt)
echo "$out" | grep '^not ok' | head -100
echo "procmail difftest: $(echo "$out" | grep -c '^ok') same, $(echo "$out" | grep -c '^not ok') different"
! echo "$out" | grep -q '^not ok'
