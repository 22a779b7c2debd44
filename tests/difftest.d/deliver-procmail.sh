#!/bin/sh
# deliver-procmail.sh - every corpus message delivered to a Maildir by
# the real procmail (empty rc) and by "ackmail deliver -m": the stored
# files must be identical, except for the one known procmail change:
# procmail rewrites Content-Length header lines (to its own count, or
# to 0 with a bare LF), where ackmail stores the bytes as received.
set -u
cd "$(dirname "$0")/../.."
: "${ACKMAIL:=$(pwd)/filter/ackmail}"
command -v procmail > /dev/null || { echo "skip: procmail is not installed"; exit 0; }
W=$(mktemp -d /tmp/ackmail-difftest.XXXXXX)
trap 'rm -rf "$W"' EXIT
find ../shared/corpus -name '*.eml' -type f | LC_ALL=C sort > "$W/list"
: > "$W/empty.rc"
chmod 600 "$W/empty.rc"
i=0
while IFS= read -r f; do
  i=$((i + 1))
  mkdir -p "$W/pm/$i/tmp" "$W/pm/$i/new" "$W/pm/$i/cur"
  procmail -m MAILDIR="$W/pm/$i" DEFAULT="$W/pm/$i/" "$W/empty.rc" < "$f"
  HOME=$W ACKMAIL_NO_SYSLOG=1 "$ACKMAIL" deliver -m "$W/am/$i" \
    -f sender@example.org < "$f" || echo "ackmail deliver failed: $f"
done < "$W/list"
python3 - "$W" <<'PY'
import os, re, sys
w = sys.argv[1]
files = open(w + "/list").read().splitlines()
same = clen = other = 0
for i, f in enumerate(files, 1):
    def one(who):
        d = "%s/%s/%d/new" % (w, who, i)
        names = os.listdir(d)
        return open(os.path.join(d, names[0]), "rb").read() if len(names) == 1 else None
    a, p = one("am"), one("pm")
    if a is not None and a == p:
        same += 1
        continue
    al, pl = (a or b"").split(b"\n"), (p or b"").split(b"\n")
    pairs = [(x, y) for x, y in zip(al, pl) if x != y]
    cl = rb"(?i)content-length:"
    if a is not None and p is not None and len(al) == len(pl) and all(
            re.match(cl, x) and re.match(cl, y) for x, y in pairs):
        clen += 1
    else:
        other += 1
        print("DIFFERS: %s" % f)
print("deliver vs procmail: %d identical, %d differ only in procmail's "
      "Content-Length rewrite, %d differ otherwise (of %d)"
      % (same, clen, other, len(files)))
sys.exit(1 if other else 0)
PY
