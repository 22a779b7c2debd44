#!/bin/sh
# ack-stream.sh - the acknowledgement figures on long support streams
# (2,000 messages, several seeds) through ackmail deliver and an SMTP
# sink; make check runs a shorter one (tests/e2e/0210-ack-stream.t).
set -u
cd "$(dirname "$0")/../.."
: "${ACKMAIL:=$(pwd)/filter/ackmail}"
export ACKMAIL
rc=0
for seed in ${ACK_STREAM_SEEDS:-1 2}; do
  echo "-- support stream, seed $seed, ${ACK_STREAM_MESSAGES:-2000} messages"
  ACK_STREAM_MESSAGES=${ACK_STREAM_MESSAGES:-2000} ACK_STREAM_SEED=$seed \
    prove -v tests/e2e/0210-ack-stream.t || rc=1
done
exit $rc
