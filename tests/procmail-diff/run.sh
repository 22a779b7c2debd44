#!/bin/bash
# run.sh - the procmail differential test: rc files in rc/ x messages in
# messages.txt (paths under ../shared/corpus), once with the real
# procmail and once with "$ACKMAIL procmail"; the manifests (what was
# delivered where, byte for byte, and the exit code) must be identical.
# Manifests come from manifest.sh (procmail-oracle's manifest in plain
# shell, checked against the oracle by e2e/0300), or with -o from
# procmail-oracle itself.
# usage: run.sh [-s SKIPMSGS] [-n MAXMSGS] [-r MAXRCS] [-e N] [-k] [-l] [-o] [-P JOBS]
#   -k skips the rc files listed in known-diff.txt (documented open
#   differences); -l compares the log too (LOGABSTRACT=all, LOG=...),
#   skipping known-log-diff.txt (log lines of concurrent processes come
#   in another order); -e N takes every Nth rc file.
#   -g PREFIX takes only the rc files whose names start with PREFIX;
#   the verbose-* files (VERBOSE=on, procmail's trace lines) are only
#   run that way, with -l. Rc files in log-sorted.txt have two
#   processes writing the log at once in procmail too (a c block's
#   clone, programs not waited for): their log lines are compared as
#   sorted sets.
#   -f PAIRS runs the "rc/NAME.rc corpus/path" pairs listed in PAIRS
#   (cases that need a particular message) instead of the cross product.
#   Prints TAP-style "ok"/"not ok" lines.
set -u
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
ORACLE=$ROOT/../shared/oracles/procmail-oracle
CORPUS=$ROOT/../shared/corpus
nmsg=1000 nrc=100000 skip= use_oracle= jobs=2 smsg=0 log= every=1 prefix= pairs=
while [ $# -gt 0 ]; do
  case $1 in -n) nmsg=$2; shift ;; -r) nrc=$2; shift ;;
    -s) smsg=$2; shift ;; -k) skip=known-diff.txt ;;
    -l) log=--log; skip=known-log-diff.txt ;; -e) every=$2; shift ;; -g) prefix=$2; shift ;; -f) pairs=$2; shift ;; -o) use_oracle=1 ;; -P) jobs=$2; shift ;;
  esac; shift
done
export ORACLE ACKMAIL use_oracle log
one() { # rc msg
  if [ -n "$use_oracle" ]; then
    a=$(python3 -S "$ORACLE" $log "$1" "$2" 2>&1)
    b=$(python3 -S "$ORACLE" $log --program "$ACKMAIL procmail" "$1" "$2" 2>&1)
  else
    a=$(sh manifest.sh $log procmail "$1" "$2" 2>&1)
    b=$(sh manifest.sh $log "$ACKMAIL procmail" "$1" "$2" 2>&1)
  fi
  if [ -n "$log" ] && grep -qx "$1" log-sorted.txt; then
    a=$(echo "$a" | LC_ALL=C sort) b=$(echo "$b" | LC_ALL=C sort)
  fi
  if [ "$a" = "$b" ]; then echo "ok - $1 ${2#$CORPUS/}"
  else
    echo "not ok - $1 ${2#$CORPUS/}"
    diff <(echo "$a") <(echo "$b") | sed 's/^/# /' | head -20
  fi
}
export -f one
if [ -n "$pairs" ]; then
  grep -v '^#' "$pairs" | while read -r r m; do
    [ -n "$r" ] && printf '%s\t%s\n' "$r" "$CORPUS/$m"
  done | xargs -P"$jobs" -d '\n' -n1 bash -c 'IFS="	" read -r r m <<< "$0"; one "$r" "$m"'
  exit 0
fi
tail -n +$((smsg + 1)) messages.txt | head -n "$nmsg" | while read -r m; do
  for r in $(ls rc/*.rc | if [ -n "$prefix" ]; then grep "^rc/$prefix"; else grep -v '^rc/verbose-'; fi |
      head -n "$nrc" | awk -v e="$every" 'NR % e == 0'); do
    [ -n "$skip" ] && grep -qx "$r" "$skip" && continue
    printf '%s\t%s\n' "$r" "$CORPUS/$m"
  done
done | xargs -P"$jobs" -d '\n' -n1 bash -c 'IFS="	" read -r r m <<< "$0"; one "$r" "$m"'
