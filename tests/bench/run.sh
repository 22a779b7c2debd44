#!/bin/sh
# run.sh - the per-message start-up benchmark (make bench): 500 messages
# from ../shared/bench/gen_msgs.py, one process per message, run one
# after the other by ../shared/bench/spawnbench.c, for
#   /bin/true                      the cost of a process at all,
#   procmail with an empty rc      plain Maildir delivery by procmail,
#   ackmail deliver -m DIR         plain Maildir delivery by ackmail,
#   ackmail --version              ackmail's start-up alone,
#   ackmail-full --version         the whole program's start-up (what a
#                                  delivery with rules or a database pays
#                                  on top; filter/lite.c),
# ROUNDS rounds each (best kept). Prints wall-clock ms per message (what
# an MTA waits) and CPU ms per message (user + system of the delivery
# processes, from /usr/bin/time around spawnbench: steadier on a busy
# machine), and the ratio ackmail/procmail of both.
#
# Environment: ACKMAIL (the binary), ROUNDS (default 3), BENCH_OTHERS=no
# (this benchmark only, not the tests/bench/*-bench.sh after it).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
: "${ROUNDS:=3}"
SHARED=$(cd "$ROOT/../shared" && pwd)
W=$(mktemp -d /tmp/ackmail-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

for p in procmail python3 cc; do
  command -v $p > /dev/null || { echo "bench: $p is not installed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
cc -O2 -D_GNU_SOURCE -o "$W/spawnbench" "$SHARED/bench/spawnbench.c"
(cd "$W" && python3 "$SHARED/bench/gen_msgs.py")
nmsgs=$(ls "$W/msgs" | wc -l)
: > "$W/empty.procmailrc"
chmod 600 "$W/empty.procmailrc"
mkdir -p "$W/home"
# no user configuration, no syslog: a plain delivery
export HOME="$W/home" ACKMAIL_NO_SYSLOG=1

mkmaildir() { rm -rf "$1"; mkdir -p "$1/tmp" "$1/new" "$1/cur"; }

best() { # best NAME CMD...: prints "WALL CPU" (ms/msg, best of ROUNDS)
  name=$1; shift
  bw="" bc=""
  for r in $(seq 1 "$ROUNDS"); do
    mkmaildir "$W/out"
    # spawnbench's own summary is its last line (a command's stdout
    # comes before it)
    line=$(/usr/bin/time -f '%U %S' -o "$W/cpu" \
      "$W/spawnbench" "$W/msgs" -- "$@" | tail -n 1)
    n=$(ls "$W/out/new" | wc -l)
    bad=$(echo "$line" | sed 's/.*nonzero exits: \([0-9]*\).*/\1/')
    wall=$(echo "$line" | awk '{print $8}')
    cpu=$(awk -v n="$nmsgs" '{printf "%.3f", ($1 + $2) * 1000 / n}' "$W/cpu")
    echo "  $name round $r: wall $wall ms/msg, cpu $cpu ms/msg, $n stored, $bad failed" >&2
    [ -z "$bw" ] || awk "BEGIN{exit !($wall < $bw)}" && bw=$wall
    [ -z "$bc" ] || awk "BEGIN{exit !($cpu < $bc)}" && bc=$cpu
  done
  echo "$bw $bc"
}

echo "$nmsgs messages, one process each, best of $ROUNDS rounds:" >&2
r_true=$(best true /bin/true)
r_pm=$(best procmail procmail -m MAILDIR="$W/out" DEFAULT="$W/out/" \
  "$W/empty.procmailrc")
r_am=$(best ackmail "$ACKMAIL" deliver -m "$W/out")
r_start=$(best ackmail-start "$ACKMAIL" --version)
FULL=$(dirname "$ACKMAIL")/ackmail-full
r_full=""
[ -x "$FULL" ] && r_full=$(best ackmail-full-start "$FULL" --version)
echo
printf '%-36s %12s %12s\n' "" "wall ms/msg" "cpu ms/msg"
row() { printf '%-36s %12s %12s\n' "$1" "${2% *}" "${2#* }"; }
row "/bin/true (process baseline)" "$r_true"
row "procmail, empty rc, Maildir" "$r_pm"
row "ackmail deliver -m, Maildir" "$r_am"
row "ackmail --version (start-up only)" "$r_start"
[ -z "$r_full" ] || row "ackmail-full --version (start-up)" "$r_full"
awk -v a="$r_am" -v p="$r_pm" 'BEGIN {
  split(a, A, " "); split(p, P, " ")
  printf "ratio ackmail/procmail: wall %.2f, cpu %.2f\n", A[1] / P[1], A[2] / P[2]
}'

# The other benchmarks beside this one (tests/bench/*-bench.sh).
[ "${BENCH_OTHERS:-yes}" = no ] && exit 0
for b in tests/bench/*-bench.sh; do
  [ -f "$b" ] || continue
  echo
  ACKMAIL="$ACKMAIL" sh "$b"
done
