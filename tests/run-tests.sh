#!/bin/sh
# run-tests.sh - the whole test suite: cmocka unit tests (TAP output) and
# the end-to-end TAP scripts in tests/e2e (each by prove). Counts every
# test point and ends with "N passed, N failed".
#
# Environment: ACKMAIL (the binary under test), UNIT_DIR (unit test
# binaries), TESTS (a glob to run only some e2e scripts), JOBS (how many
# e2e scripts run at once, default 2; each picks its own free ports).
set -u
cd "$(dirname "$0")/.."
: "${ACKMAIL:=$(pwd)/filter/ackmail}"
: "${UNIT_DIR:=$(pwd)/build/tests}"
: "${JOBS:=2}"
export ACKMAIL ACKMAIL_NO_SYSLOG=1 CMOCKA_MESSAGE_OUTPUT=TAP
out=$(mktemp -d /tmp/ackmail-tests.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0

count() { # file-with-tap-output exit-status name
  p=$(grep -cE '^[[:space:]]*ok [0-9]' "$1")
  f=$(grep -cE '^[[:space:]]*not ok [0-9]' "$1")
  if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1; echo "not ok - $3 exited with status $2"
  fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -gt 0 ] && grep -E '^[[:space:]]*not ok|^#' "$1" | head -40
  echo "$3: $p passed, $f failed"
}

for t in "$UNIT_DIR"/test-*; do
  [ -x "$t" ] || continue
  name=unit/$(basename "$t")
  "$t" > "$out/u" 2>&1; st=$?
  count "$out/u" $st "$name"
done

# e2e scripts, JOBS at a time; results are counted in file order
n=0
for t in ${TESTS:-tests/e2e/*.t}; do
  [ -f "$t" ] || continue
  n=$((n + 1))
  echo "$n $t"
done > "$out/list"
# shellcheck disable=SC2016
xargs -P "$JOBS" -L 1 sh -c \
  'start=$(date +%s); prove -v "$2" > "$0/$1.out" 2>&1; echo $? > "$0/$1.st";
   echo $(( $(date +%s) - start )) > "$0/$1.secs"' "$out" < "$out/list"
while read -r i t; do
  count "$out/$i.out" "$(cat "$out/$i.st")" "$t ($(cat "$out/$i.secs")s)"
done < "$out/list"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
