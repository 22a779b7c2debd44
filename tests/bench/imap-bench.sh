#!/bin/bash
# imap-bench.sh - messages per second that "ackmail poll --once" processes
# from a local Dovecot (started here on 127.0.0.1, as in the e2e tests):
# a support stream of N messages (default 2000) plus the whole shared
# corpus, polled with several batch sizes, each into a fresh database and
# a fresh copy of the mailbox. Prints each command with its result.
#
#   bash tests/bench/imap-bench.sh            (N=2000, batches 1 10 50 200)
#   N=500 BATCHES="50" bash tests/bench/imap-bench.sh
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/imap-lib.sh
: "${N:=2000}" "${BATCHES:=1 10 50 200}"
ms() { date +%s%3N; }

dovecot_start || { echo "bench: dovecot did not start" >&2; exit 1; }
python3 "$SHARED/support-stream/make_support_corpus.py" --messages "$N" \
  --seed 1 --out "$T/stream" > /dev/null
{ corpus_files 1; ls "$T/stream/messages/"*.eml; } > "$T/files"
total=$(wc -l < "$T/files")
imap_tool append "$IMAP_PORT" Load $(cat "$T/files")
bytes=$(cat $(cat "$T/files") | wc -c)
echo "loaded $total messages ($((bytes / 1024)) KiB) into Dovecot $(dovecot --version | cut -d' ' -f1)"
echo "machine: $(nproc) CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in $BATCHES; do
  box=Bench$b
  imap_tool copy "$IMAP_PORT" Load "$box"
  rm -f "$T/ackmail.db"*
  poll_conf "$T/c" mailbox="$box" processed=flag batch="$b"
  cmd="ackmail poll --once   # [imap] processed=flag batch=$b, plain IMAP on 127.0.0.1"
  t0=$(ms)
  "$ACKMAIL" poll -c "$T/c" --once 2> "$T/log"; st=$?
  t1=$(ms)
  n=$(grep -c 'uid [0-9]*: message-id=' "$T/log")
  left=$(imap_tool count "$IMAP_PORT" "$box" UNKEYWORD '$AckmailProcessed')
  echo "$cmd"
  echo "  exit $st, $n messages in $((t1 - t0)) ms = $(( n * 1000 / (t1 - t0 + 1) )) messages/s, $left left unmarked"
done
