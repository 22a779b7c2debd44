#!/bin/bash
# Every message of the shared corpus, delivered by "ackmail deliver -m"
# into a Maildir of its own, is stored byte for byte (minus a leading
# From_ line, as procmail does), exactly once, in new/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe

find "$CORPUS" -name '*.eml' -type f | LC_ALL=C sort > "$T/list"
total=$(wc -l < "$T/list")
ok $([ "$total" -gt 1000 ] && echo 0 || echo 1) "corpus has $total messages"

# two delivery loops side by side (messages numbered by list position)
run_half() { # run_half FIRST LAST: writes the failure count to $T/bad.FIRST
  i=0 bad=0
  while IFS= read -r f; do
    i=$((i + 1))
    [ "$i" -lt "$1" ] || [ "$i" -gt "$2" ] && continue
    if ! deliver -m "$T/md/$i" -f sender@example.org -a rcpt@example.net \
        < "$f" > "$T/err.$1" 2>&1; then
      bad=$((bad + 1))
      [ "$bad" -le 5 ] && diag "deliver failed for $f: $(head -c 300 "$T/err.$1")"
    fi
  done < "$T/list"
  echo "$bad" > "$T/bad.$1"
}
half=$((total / 2))
run_half 1 "$half" &
run_half $((half + 1)) "$total"
wait
bad=$(($(cat "$T/bad.1") + $(cat "$T/bad.$((half + 1))")))
is "$bad" 0 "every corpus message delivered with exit 0"

python3 - "$T/list" "$T/md" > "$T/cmp" <<'PY'
import os, sys
files = open(sys.argv[1]).read().splitlines()
root = sys.argv[2]
bad = 0
for i, f in enumerate(files, 1):
    raw = open(f, "rb").read()
    want = raw
    if raw.startswith(b"From "):
        nl = raw.find(b"\n")
        want = b"" if nl < 0 else raw[nl + 1:]
    d = os.path.join(root, str(i))
    new = sorted(os.listdir(os.path.join(d, "new")))
    tmp = os.listdir(os.path.join(d, "tmp"))
    cur = os.listdir(os.path.join(d, "cur"))
    problem = None
    if len(new) != 1 or cur or tmp:
        problem = "new=%d cur=%d tmp=%d" % (len(new), len(cur), len(tmp))
    elif open(os.path.join(d, "new", new[0]), "rb").read() != want:
        problem = "content differs"
    if problem:
        bad += 1
        if bad <= 5:
            print("# %s: %s" % (f, problem))
print("bad %d of %d" % (bad, len(files)))
PY
grep '^#' "$T/cmp"
is "$(tail -n 1 "$T/cmp")" "bad 0 of $total" "every message is byte-identical in new/"
done_testing
