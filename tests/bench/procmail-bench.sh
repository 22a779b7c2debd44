#!/bin/sh
# procmail-bench.sh - the 21-recipe procmailrc (../shared/bench/
# bench.procmailrc) over 500 generated messages, one process per
# message (../shared/bench/spawnbench.c), ackmail procmail against the
# real procmail in the same run; prints both and the ratio.
# Environment: ACKMAIL (the binary), ROUNDS (default 3; the best counts).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
: "${ROUNDS:=3}"
SHARED=$(cd "$ROOT/../shared" && pwd)
W=$(mktemp -d /tmp/ackmail-pmbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
command -v procmail >/dev/null || { echo "procmail-bench: procmail is not installed" >&2; exit 1; }
cc -O2 -D_GNU_SOURCE -o "$W/spawnbench" "$SHARED/bench/spawnbench.c"
(cd "$W" && python3 "$SHARED/bench/gen_msgs.py")
cp "$SHARED/bench/bench.procmailrc" "$W/bench.procmailrc"
chmod 600 "$W/bench.procmailrc"
folders="spam bounces lists.announce lists.dev bulk vendors billing security tickets urgent escalate passwords network hardware partners support inbox"
mk() { rm -rf "$1"; for f in $folders; do mkdir -p "$1/$f/tmp" "$1/$f/new" "$1/$f/cur"; done; }
run() { # NAME OUT CMD...: best ms/msg of ROUNDS
  name=$1 out=$2; shift 2
  best=""
  for r in $(seq 1 "$ROUNDS"); do
    mk "$out"
    ms=$("$W/spawnbench" "$W/msgs" -- "$@" | awk '{print $(NF-4)}')
    if [ -z "$best" ] || awk "BEGIN{exit !($ms < $best)}"; then best=$ms; fi
  done
  n=$(find "$out" -path '*/new/*' -type f | wc -l)
  printf '%-18s %s ms/msg (%s messages delivered)\n' "$name" "$best" "$n" >&2
  echo "$best"
}
pm=$(run procmail "$W/out-pm" procmail -m "MAILDIR=$W/out-pm" "DEFAULT=$W/out-pm/inbox/" "$W/bench.procmailrc")
am=$(run "ackmail procmail" "$W/out-am" "$ACKMAIL" procmail -m "MAILDIR=$W/out-am" "DEFAULT=$W/out-am/inbox/" "$W/bench.procmailrc")
# the same messages must land in the same folders
for f in $folders; do
  a=$(ls "$W/out-pm/$f/new" | wc -l); b=$(ls "$W/out-am/$f/new" | wc -l)
  [ "$a" = "$b" ] || echo "procmail-bench: folder $f: procmail $a, ackmail $b" >&2
done
echo "procmail:          $pm ms/msg"
echo "ackmail procmail:  $am ms/msg"
awk "BEGIN{printf \"ratio ackmail/procmail: %.2f\n\", $am / $pm}"
