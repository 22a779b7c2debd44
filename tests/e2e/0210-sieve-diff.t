#!/bin/sh
# Sieve differential test: ackmail check against Dovecot's sieve-test
# (../shared/oracles/sieve-oracle) for every script in tests/sieve-diff/
# times 28 messages picked from the corpus and a generated support
# stream. One TAP line per script. The full cross product: make difftest.
. "$(dirname "$0")/lib.sh"
command -v sieve-test >/dev/null 2>&1 || skip_all "sieve-test (dovecot-sieve) not installed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to run sieve-test as nobody"
python3 "$SHARED/support-stream/make_support_corpus.py" --messages 200 \
    --seed 1 --out "$T/s" >/dev/null || skip_all "support stream generator failed"
python3 "$ROOT/tests/sieve-diff/run-diff.py" --ackmail "$ACKMAIL" \
    --shared "$SHARED" --support "$T/s" --jobs 2
