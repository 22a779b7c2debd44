#!/bin/sh
# Every C file and header follows the committed .clang-format
# (make format-check), so a drift shows up in make check, not later.
. "$(dirname "$0")/lib.sh"
command -v clang-format > /dev/null || skip_all "clang-format is not installed"
cd "$ROOT"
make -s format-check > "$T/out" 2>&1
st=$?
ok $st "make format-check: every C file and header is clang-formatted"
[ $st -eq 0 ] || grep 'error:' "$T/out" | head -20 | sed 's/^/# /'
# every tracked C file is one format-check looks at
git ls-files '*.c' '*.h' 2> /dev/null > "$T/files" || true
if [ -s "$T/files" ]; then
  missing=$(make -s -n format-check | tr ' ' '\n' | grep '\.[ch]$' | sort > "$T/checked"
    sort "$T/files" | comm -23 - "$T/checked")
  is "$missing" "" "format-check covers every tracked C file and header"
fi
done_testing
