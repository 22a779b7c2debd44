#!/bin/bash
# kill -9 at random moments during a Maildir delivery of a big message
# never leaves a partial message in new/ (leftovers in tmp/ are allowed):
# whatever is in new/ is the whole message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe

mkmsg "$T/big.eml" $((24 * 1024 * 1024))
# how long one delivery takes here, to aim the kills inside it
t0=$(date +%s%N)
deliver -m "$T/md0" < "$T/big.eml" > /dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
diag "one delivery takes about $ms ms"
runs=30 killed=0
for i in $(seq 1 $runs); do
  # the binary itself, not a subshell, is the process to kill
  # shellcheck disable=SC2086
  "$ACKMAIL" deliver $DELIVER_OPTS -m "$T/md" < "$T/big.eml" \
    > /dev/null 2>&1 &
  pid=$!
  # anywhere from start-up to a little after the end of the delivery
  d=$((RANDOM % (2 * ms)))
  sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  [ $? -eq 137 ] && killed=$((killed + 1))
done
diag "$killed of $runs deliveries were killed before they finished"
ok $([ -d "$T/md/new" ] && echo 0 || echo 1) "the Maildir exists"
bad=0 whole=0
for f in "$T"/md/new/* "$T"/md/cur/*; do
  [ -f "$f" ] || continue
  if cmp -s "$f" "$T/big.eml"; then whole=$((whole + 1))
  else bad=$((bad + 1)); diag "partial message: $f ($(stat -c %s "$f") bytes)"
  fi
done
diag "$whole whole messages in new/, $(ls "$T/md/tmp" | wc -l) leftovers in tmp/"
is "$bad" 0 "no partial message in new/ or cur/"
# a delivery that is left alone still works after all that
deliver -m "$T/md" < "$T/big.eml" > /dev/null 2>&1
is "$?" 0 "a delivery after the kills succeeds"
is "$(ls "$T/md/new" | wc -l)" "$((whole + 1))" "and adds exactly one message"
done_testing
