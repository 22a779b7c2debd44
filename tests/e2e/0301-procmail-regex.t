#!/bin/sh
# 0301-procmail-regex.t - a sample of the regex conformance table,
# re-checked against the live procmail and against ackmail procmail.
. "$(dirname "$0")/lib.sh"
command -v procmail >/dev/null || skip_all "procmail not installed"
plan 2
python3 "$ROOT/tests/procmail/gen-regex-table.py" --check \
    "$ROOT/tests/procmail/regex-table.tsv" --sample 40 >"$T/live" 2>&1
ok $? "the table still agrees with the live procmail"
python3 "$ROOT/tests/procmail/gen-regex-table.py" --check \
    "$ROOT/tests/procmail/regex-table.tsv" --sample 60 \
    --program "$ACKMAIL procmail" >"$T/ours" 2>&1
ok $? "ackmail procmail agrees with the table"
