#!/bin/sh
# run.sh SECONDS - run every fuzz target for SECONDS each, starting from the
# seeds in tests/fuzz/corpus/<target>/ (if any) and a sample of the shared
# message corpus for message parsers.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-10}
rc=0
for f in build/fuzz/fuzz-*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  work=$(mktemp -d /tmp/ackmail-fuzz.XXXXXX)
  seeds=tests/fuzz/corpus/$name
  [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/ 2>/dev/null
  case $name in
    fuzz-msg*) find ../shared/corpus -name '*.eml' -size -64k | head -200 |
                 while read -r m; do cp "$m" "$work/"; done ;;
  esac
  if "$f" -max_total_time="$secs" -max_len=65536 -print_final_stats=1 -rss_limit_mb=2048 -artifact_prefix="$work.crash-" "$work" \
       > "$work.log" 2>&1; then
    echo "ok - $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$work.log" | tail -1))"
  else
    echo "not ok - $name"; tail -30 "$work.log"; rc=1
  fi
  rm -rf "$work" "$work.log"
done
exit $rc
