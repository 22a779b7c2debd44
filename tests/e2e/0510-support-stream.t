#!/bin/sh
# 0510-support-stream.t - the proof of the support core: generated support
# desk streams (../shared/support-stream, 4 seeds x 2,500 = 10,000
# messages) replayed through `ackmail deliver`, each message at its own
# date (ACKMAIL_NOW) and to the envelope recipient the stream's README
# gives; every message's issue and class compared with the ground truth.
# Asserts >= 99.5% on the right issue, none on another customer's issue,
# every robot classified as a robot; prints the confusion figures.
#
# The four seeds run in parallel (one database each); about 3-4 minutes
# on two cores, most of it process starts. SUPPORT_STREAM_MESSAGES and
# SUPPORT_STREAM_SEEDS change the size.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
GEN="$SHARED/support-stream/make_support_corpus.py"
[ -f "$GEN" ] || skip_all "no support-stream generator"

# deliveries fsync: a tmpfs keeps the replay about CPU, not the disk
work="$T/stream"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  work=$(mktemp -d /dev/shm/ackmail-stream.XXXXXX)
  at_exit "rm -rf '$work'"
fi
python3 "$(dirname "$0")/support-stream.py" --ackmail "$ACKMAIL" \
  --generator "$GEN" --work "$work" \
  --seeds "${SUPPORT_STREAM_SEEDS:-1,2,3,4}" \
  --messages "${SUPPORT_STREAM_MESSAGES:-2500}"
