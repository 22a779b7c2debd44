#!/bin/sh
# 0300-procmail-diff.t - ackmail procmail against the real procmail
# through procmail-oracle: a sample of tests/procmail-diff (the whole
# cross product is `make difftest`).
. "$(dirname "$0")/lib.sh"
command -v procmail >/dev/null || skip_all "procmail not installed"
out=$(bash "$ROOT/tests/procmail-diff/run.sh" -n 1 -r 60 -k)
echo "$out" | awk '{ if ($1 == "ok") { n++; print "ok " n " -" substr($0, 5) } else if ($1 == "not") { n++; print "not ok " n " -" substr($0, 9) } else print }'
n=$(echo "$out" | grep -c '^ok')
[ "$n" -ge 40 ]; ok=$?
echo "$( [ $ok -eq 0 ] && echo ok || echo not ok ) $(( $(echo "$out" | grep -c '^\(ok\|not ok\)') + 1 )) - at least 40 identical manifests ($n)"
echo "1..$(( $(echo "$out" | grep -c '^\(ok\|not ok\)') + 1 ))"
