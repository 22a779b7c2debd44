#!/bin/bash
# 50 "ackmail deliver --mbox" processes appending to the same mbox at
# once: every message arrives whole, none is lost, none interleaves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe

n=50
# different sizes, many "From " lines: many writes per message
args=""
for i in $(seq 1 $n); do args="$args $T/m$i.eml $((20000 + i * 3000))"; done
# shellcheck disable=SC2086
mkmsg $args
pids=""
for i in $(seq 1 $n); do
  deliver --mbox "$T/mbox" -f "s$i@example.org" < "$T/m$i.eml" \
    > "$T/err$i" 2>&1 &
  pids="$pids $!"
done
fails=0
for p in $pids; do
  wait "$p" || fails=$((fails + 1))
done
is "$fails" 0 "all $n concurrent deliveries exit 0"
ok $([ ! -e "$T/mbox.lock" ] && echo 0 || echo 1) "no dotlock left behind"

python3 - "$T" "$n" > "$T/cmp" <<'PY'
import re, sys
t, n = sys.argv[1], int(sys.argv[2])
mbox = open(t + "/mbox", "rb").read()
want = {}
for i in range(1, n + 1):
    data = open("%s/m%d.eml" % (t, i), "rb").read()
    want[b"s%d@example.org" % i] = data
# split at separator lines; body "From " lines are quoted
parts = re.split(rb"(?m)^From (\S+) [^\n]*\n", mbox)
print("leading %r" % parts[0])
found = {}
for sender, body in zip(parts[1::2], parts[2::2]):
    body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
    if not body.endswith(b"\n\n"):
        print("# message from %s lacks its blank line" % sender)
    found.setdefault(sender, []).append(body[:-1])
ok = sum(1 for s, d in want.items() if found.get(s) == [d])
print("separators %d, intact %d" % (len(parts) // 2, ok))
PY
grep '^#' "$T/cmp"
is "$(sed -n 1p "$T/cmp")" "leading b''" "the mbox starts with a From_ line"
is "$(sed -n 2p "$T/cmp")" "separators $n, intact $n" \
  "each of the $n messages is there exactly once, whole"
done_testing
