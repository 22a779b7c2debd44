#!/bin/sh
# The full Sieve differential test: every script in tests/sieve-diff/
# times every corpus message and a 200-message support stream.
# SIEVE_DIFF_DETAILS=FILE also writes every differing pair there.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
T=$(mktemp -d /tmp/ackmail-difftest.XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 200 \
    --seed 1 --out "$T/s" >/dev/null
python3 "$ROOT/tests/sieve-diff/run-diff.py" --ackmail "${ACKMAIL:-$ROOT/filter/ackmail}" \
    --shared "$SHARED" --support "$T/s" --full --jobs "${JOBS:-2}" \
    ${SIEVE_DIFF_DETAILS:+--details "$SIEVE_DIFF_DETAILS"}
