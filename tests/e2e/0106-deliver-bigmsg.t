#!/bin/bash
# A 50 MB message is delivered to a Maildir and to an mbox byte for byte
# with bounded memory: peak RSS below three times the message size.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe
size=$((50 * 1024 * 1024))
mkmsg "$T/big.eml" "$size"
size=$(stat -c %s "$T/big.eml")
limit_kb=$((3 * size / 1024))
# an AddressSanitizer build keeps freed memory in quarantine and never
# grows a buffer in place: its RSS says nothing about ackmail's
sanitized=0
ldd "$ACKMAIL" 2> /dev/null | grep -q 'libasan\|libubsan' && sanitized=1

rss_ok() { # rss_ok KB
  if [ "$sanitized" -eq 1 ]; then
    ok 0 "peak RSS $1 KB not judged # SKIP sanitizer build"
  else
    ok $([ "$1" -gt 0 ] && [ "$1" -lt "$limit_kb" ] && echo 0 || echo 1) \
      "peak RSS $1 KB < $limit_kb KB (3x the message)"
  fi
}

# peak RSS in KB of "deliver ARGS < big.eml"
peak_rss() {
  if [ -x /usr/bin/time ]; then
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$T/rss" "$ACKMAIL" deliver $DELIVER_OPTS "$@" \
      < "$T/big.eml" > "$T/out" 2>&1
    st=$?
    tail -n 1 "$T/rss"
  else
    # shellcheck disable=SC2086
    "$ACKMAIL" deliver $DELIVER_OPTS "$@" < "$T/big.eml" > "$T/out" 2>&1 &
    p=$! max=0
    while [ -r /proc/$p/status ]; do
      v=$(awk '/^VmHWM/ {print $2}' /proc/$p/status 2> /dev/null)
      [ -n "$v" ] && max=$v
    done
    wait $p; st=$?
    echo "$max"
  fi
  return $st
}

rss=$(peak_rss -m "$T/md")
is "$?" 0 "a $size-byte message is delivered to a Maildir"
diag "peak RSS $rss KB for the Maildir delivery"
rss_ok "$rss"
cmp -s "$T/md/new/"* "$T/big.eml"
ok $? "the Maildir copy is byte-identical"

export ACKMAIL_NOW=2026-11-23T17:00:00Z
rss=$(peak_rss --mbox "$T/mbox" -f s@example.org)
is "$?" 0 "the same message is appended to an mbox"
diag "peak RSS $rss KB for the mbox delivery"
rss_ok "$rss"
python3 - "$T/big.eml" "$T/mbox" <<'PY' > "$T/cmp"
import re, sys
data = open(sys.argv[1], "rb").read()
want = (b"From s@example.org Mon Nov 23 17:00:00 2026\n"
        + re.sub(rb"(?m)^(>*From )", rb">\1", data) + b"\n")
print("same" if open(sys.argv[2], "rb").read() == want else "differs")
PY
is "$(cat "$T/cmp")" same "the mbox holds the expected mboxrd rendering"
done_testing
