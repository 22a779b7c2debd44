#!/bin/bash
# Every message of the shared corpus, appended by "ackmail deliver
# --mbox" (first half to one mbox, second half to another, side by side)
# gives exactly the mboxrd rendering built here independently (From_
# line, >From quoting, final newline, blank line), and reading the
# mboxes back gives every message again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe
export ACKMAIL_NOW=2026-11-23T17:00:00Z

find "$CORPUS" -name '*.eml' -type f | LC_ALL=C sort > "$T/list"
total=$(wc -l < "$T/list")

# two mboxes filled side by side: the first and the second half
half=$((total / 2))
head -n "$half" "$T/list" > "$T/list.1"
tail -n +$((half + 1)) "$T/list" > "$T/list.2"
run_half() { # run_half N: list.N into mbox.N, failures counted in bad.N
  bad=0
  while IFS= read -r f; do
    if ! deliver --mbox "$T/mbox.$1" -f sender@example.org \
        -a rcpt@example.net < "$f" > "$T/err.$1" 2>&1; then
      bad=$((bad + 1))
      [ "$bad" -le 5 ] && diag "deliver failed for $f: $(head -c 300 "$T/err.$1")"
    fi
  done < "$T/list.$1"
  echo "$bad" > "$T/bad.$1"
}
run_half 1 &
run_half 2
wait
bad=$(($(cat "$T/bad.1") + $(cat "$T/bad.2")))
is "$bad" 0 "every corpus message appended with exit 0"
ok $([ ! -e "$T/mbox.1.lock" ] && [ ! -e "$T/mbox.2.lock" ] && echo 0 || echo 1) "no dotlock left behind"

python3 - "$T/list" "$T/mbox" > "$T/cmp" <<'PY'
import re, sys
files = open(sys.argv[1] + ".1").read().splitlines()
files += open(sys.argv[1] + ".2").read().splitlines()
mbox = open(sys.argv[2] + ".1", "rb").read() + open(sys.argv[2] + ".2", "rb").read()
sep_default = b"From sender@example.org Mon Nov 23 17:00:00 2026"
expected, datas = [], []
for f in files:
    raw = open(f, "rb").read()
    if raw.startswith(b"From "):
        nl = raw.find(b"\n")
        line, data = (raw, b"") if nl < 0 else (raw[:nl], raw[nl + 1:])
        line = line.rstrip(b"\r\n")
    else:
        line, data = sep_default, raw
    if data and not data.endswith(b"\n"):
        data += b"\n"
    datas.append(data)
    quoted = re.sub(rb"(?m)^(>*From )", rb">\1", data)
    expected.append(line + b"\n" + quoted + b"\n")
want = b"".join(expected)
print("rendering %s" % ("identical" if mbox == want else "differs"))
if mbox != want:
    n = next(i for i in range(min(len(mbox), len(want))) if mbox[i] != want[i])
    print("# first difference at byte %d: got %r want %r"
          % (n, mbox[max(0, n - 60):n + 60], want[max(0, n - 60):n + 60]))
# read back: every unquoted "From " line starts a message
msgs, cur = [], None
for l in re.findall(rb"[^\n]*\n|[^\n]+$", mbox):
    if l.startswith(b"From "):
        if cur is not None:
            msgs.append(cur)
        cur = []
        continue
    cur.append(re.sub(rb"^>(>*From )", rb"\1", l))
if cur is not None:
    msgs.append(cur)
# each message ends with the blank line the mbox adds after it
back = [b"".join(m)[:-1] for m in msgs]
same = sum(1 for a, b in zip(back, datas) if a == b)
print("read back %d messages, %d identical" % (len(back), same))
PY
grep '^#' "$T/cmp"
is "$(sed -n 1p "$T/cmp")" "rendering identical" "mbox is the expected mboxrd rendering"
is "$(grep '^read back' "$T/cmp")" "read back $total messages, $total identical" \
  "reading the mbox back gives every message"
done_testing
