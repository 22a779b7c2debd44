#!/bin/sh
# A short run of every libFuzzer target (make fuzz): each must survive
# FUZZ_SECONDS (default 8) of mutation from its seeds without a crash,
# a leak or undefined behaviour.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null || skip_all "clang is not installed"
cd "$ROOT"
make -s fuzz > "$T/build.log" 2>&1; st=$?
ok $st "make fuzz builds every target"
[ $st -eq 0 ] || { tail -20 "$T/build.log" | sed 's/^/# /'; done_testing; exit 0; }
sh tests/fuzz/run.sh "${FUZZ_SECONDS:-8}" > "$T/run.log" 2>&1
while read -r line; do
  case $line in
    "ok - "*) ok 0 "${line#ok - }" ;;
    "not ok - "*) ok 1 "${line#not ok - }" ;;
    *) echo "# $line" ;;
  esac
done < "$T/run.log"
done_testing
