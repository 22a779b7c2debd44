#!/bin/sh
# Golden files of the rule IR: for every tests/golden/sieve/NAME.sieve
# and tests/golden/procmail/NAME.rc, `ackmail check --ir -r` (run from
# the project root, so the paths in the listing are relative) prints
# NAME.ir exactly, or, for a script that does not compile, exits 65 with
# the diagnostics of NAME.err on stderr. UPDATE_GOLDEN=1 rewrites the
# expected files from the current output.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
for f in tests/golden/sieve/*.sieve tests/golden/procmail/*.rc; do
  name=${f%.*}
  case $f in *.rc) lang=procmail ;; *) lang=sieve ;; esac
  "$ACKMAIL" check --ir --lang "$lang" -r "$f" > "$T/out" 2> "$T/err"
  st=$?
  if [ -f "$name.err" ]; then
    [ -n "${UPDATE_GOLDEN:-}" ] && cp "$T/err" "$name.err"
    is "$st" 65 "$f: does not compile (exit 65)"
    diff -u "$name.err" "$T/err" > "$T/diff"
    ok $? "$f: the diagnostics are the golden ones" || sed 's/^/# /' "$T/diff"
    [ -s "$T/out" ]
    ok $((! $?)) "$f: no IR listing"
  else
    [ -n "${UPDATE_GOLDEN:-}" ] && cp "$T/out" "$name.ir"
    is "$st" 0 "$f: compiles (exit 0)"
    diff -u "$name.ir" "$T/out" > "$T/diff"
    ok $? "$f: the IR listing is the golden one" || sed 's/^/# /' "$T/diff"
  fi
done
done_testing
