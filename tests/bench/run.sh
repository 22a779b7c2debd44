#!/bin/sh
# run.sh - the per-message start-up benchmark (make bench): 500 messages,
# one process per message, run sequentially by ../shared/bench's
# spawnbench driver, for
#   /bin/true                      the cost of a process at all,
#   procmail with an empty rc      plain Maildir delivery by procmail,
#   ackmail deliver -m DIR         plain Maildir delivery by ackmail,
#   ackmail --version              ackmail's start-up alone (for the
#                                  analysis in docs/benchmarks.md),
# three rounds each; prints the times and the ratio ackmail/procmail.
#
# Environment: ACKMAIL (the binary), ROUNDS (default 3).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
: "${ROUNDS:=3}"
SHARED=$(cd "$ROOT/../shared" && pwd)
W=$(mktemp -d /tmp/ackmail-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

command -v procmail > /dev/null || { echo "bench: procmail is not installed" >&2; exit 1; }
cc -O2 -D_GNU_SOURCE -o "$W/spawnbench" "$SHARED/bench/spawnbench.c"
(cd "$W" && python3 "$SHARED/bench/gen_msgs.py")
: > "$W/empty.procmailrc"
chmod 600 "$W/empty.procmailrc"
mkdir -p "$W/home"
export HOME="$W/home" ACKMAIL_NO_SYSLOG=1

mkmaildir() { rm -rf "$1"; mkdir -p "$1/tmp" "$1/new" "$1/cur"; }
# spawnbench prints: NAME N msgs S s R msg/s M ms/msg (nonzero exits: K)
field() { awk -v f="$1" '{print $f}'; }

best() { # best NAME CMD...: runs ROUNDS times, prints the best line
  name=$1; shift
  bestms=""
  for r in $(seq 1 "$ROUNDS"); do
    mkmaildir "$W/out"
    line=$("$W/spawnbench" "$W/msgs" -- "$@" | tail -n 1)
    n=$(ls "$W/out/new" | wc -l)
    bad=$(echo "$line" | sed 's/.*nonzero exits: \([0-9]*\).*/\1/')
    ms=$(echo "$line" | field 8)
    echo "  $name round $r: $(echo "$line" | field 4) s, $ms ms/msg, $n delivered, $bad failed" >&2
    if [ -z "$bestms" ] || awk "BEGIN{exit !($ms < $bestms)}"; then
      bestms=$ms
    fi
  done
  echo "$bestms"
}

echo "500 messages, one process each, best of $ROUNDS rounds:" >&2
t_true=$(best true /bin/true)
t_pm=$(best procmail procmail -m MAILDIR="$W/out" DEFAULT="$W/out/" \
  "$W/empty.procmailrc")
t_am=$(best ackmail "$ACKMAIL" deliver -m "$W/out")
t_start=$(best ackmail-start "$ACKMAIL" --version)
echo
printf '%-34s %8s ms/msg\n' "/bin/true (process baseline)" "$t_true"
printf '%-34s %8s ms/msg\n' "procmail, empty rc, Maildir" "$t_pm"
printf '%-34s %8s ms/msg\n' "ackmail deliver -m, Maildir" "$t_am"
printf '%-34s %8s ms/msg\n' "ackmail --version (start-up only)" "$t_start"
awk -v a="$t_am" -v p="$t_pm" -v t="$t_true" 'BEGIN {
  printf "ratio ackmail/procmail: %.2f\n", a / p
  printf "above the baseline: ackmail %.3f ms, procmail %.3f ms\n", a - t, p - t
}'
