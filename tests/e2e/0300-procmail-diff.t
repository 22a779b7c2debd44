#!/bin/sh
# 0300-procmail-diff.t - ackmail procmail against the real procmail:
# manifest.sh agrees with procmail-oracle, then every rc file in
# tests/procmail-diff on the first message, every 24th on four more,
# every 5th with the log compared too, and the VERBOSE=on ones
# (procmail's trace lines) with their logs, and the rc files that need
# a particular message (pairs.txt) (make difftest runs the whole cross
# product).
. "$(dirname "$0")/lib.sh"
command -v procmail >/dev/null || skip_all "procmail not installed"
D=$ROOT/tests/procmail-diff
ORACLE=$SHARED/oracles/procmail-oracle
for r in del-forward-copy del-mh-links ex-autoreply; do
  m=$CORPUS/$(sed -n 3p "$D/messages.txt")
  for prog in procmail "$ACKMAIL procmail"; do
    a=$(cd "$D" && sh manifest.sh "$prog" "rc/$r.rc" "$m")
    b=$(python3 -S "$ORACLE" --program "$prog" "$D/rc/$r.rc" "$m")
    is "$a" "$b" "manifest.sh = procmail-oracle: $r ($prog)"
  done
done
{
  bash "$D/run.sh" -n 1
  bash "$D/run.sh" -s 1 -n 4 -e 24
  bash "$D/run.sh" -l -s 2 -n 1 -e 5
  bash "$D/run.sh" -l -g verbose- -s 2 -n 1
  bash "$D/run.sh" -l -f "$D/pairs.txt"
} > "$T/out"
n=0
while IFS= read -r line; do
  case $line in
  "ok "*) n=$((n + 1)); _tap_n=$((_tap_n + 1)); echo "ok $_tap_n ${line#ok }" ;;
  "not ok "*) _tap_n=$((_tap_n + 1)); _tap_fail=$((_tap_fail + 1))
    echo "not ok $_tap_n ${line#not ok }" ;;
  *) echo "$line" ;;
  esac
done < "$T/out"
[ "$n" -ge 330 ]; ok $? "at least 330 identical manifests ($n)"
done_testing
