# deliver.sh - helpers for the 01NN-deliver-*.t scripts. Source it after
# lib.sh. Gives: deliver (runs "$ACKMAIL deliver" with a private home
# and database under $T), mkmsg (writes a message of a given size) and
# deliver_probe (skips the script when deliver cannot store a message).
export TZ=UTC
export HOME="$T/home"
mkdir -p "$HOME"
# Options every delivery gets. No --db: a plain delivery does without
# the state database (HOME is private, so no user configuration either);
# DELIVER_OPTS="--db FILE" in the environment runs the same tests with it.
DELIVER_OPTS=${DELIVER_OPTS:-}

deliver() { # deliver ARGS... < message
  # shellcheck disable=SC2086
  "$ACKMAIL" deliver $DELIVER_OPTS "$@"
}

# mkmsg FILE BYTES [FILE BYTES ...]: plain messages of about BYTES
# bytes whose bodies have "From " and ">From " lines (mboxrd quoting)
# and a unique Message-ID; one python3 for all of them.
mkmsg() {
  python3 - "$@" <<'PY'
import sys
args = sys.argv[1:]
for path, size in zip(args[0::2], args[1::2]):
    size = int(size)
    head = (b"From: Sender <s@example.org>\nTo: r@example.net\n"
            b"Subject: size %d\nMessage-ID: <%s@test>\n\n"
            % (size, path.encode()))
    lines = [b"From the start of a line", b">From quoted once",
             b"plain text line with some words in it 0123456789"]
    body, n = [], 0
    while len(head) + n < size:
        line = lines[len(body) % 3] + b" %d\n" % len(body)
        body.append(line); n += len(line)
    open(path, "wb").write(head + b"".join(body))
PY
}

# Skips the whole script unless "$ACKMAIL deliver -m DIR" stores a
# message (the command may not be wired up yet on this branch).
deliver_probe() {
  printf 'Subject: probe\n\nprobe\n' > "$T/probe.eml"
  deliver -m "$T/probe-md" < "$T/probe.eml" > "$T/probe.out" 2>&1
  if [ -z "$(ls "$T/probe-md/new" 2>/dev/null)" ]; then
    skip_all "ackmail deliver does not store mail yet: $(head -c 200 "$T/probe.out")"
  fi
  rm -rf "$T/probe-md"
}
