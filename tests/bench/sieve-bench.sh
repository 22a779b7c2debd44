#!/bin/sh
# sieve-bench.sh - Sieve compile time and per-message evaluation time for
# a generated 500-rule script (make bench runs it through run.sh).
# Prints "sieve compile 500 rules: N ms" and "sieve eval: N ms/message".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
T=$(mktemp -d /tmp/ackmail-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
N=${RULES:-500} M=${MESSAGES:-200}
{
  echo 'require ["fileinto", "imap4flags", "variables", "regex", "relational", "comparator-i;ascii-numeric"];'
  i=1
  while [ $i -le "$N" ]; do
    case $((i % 5)) in
    0) echo "if header :contains \"subject\" \"topic$i\" { fileinto \"F$i\"; stop; }" ;;
    1) echo "if address :domain :is \"from\" \"d$i.example\" { addflag \"\\\\Seen\"; fileinto \"D$i\"; }" ;;
    2) echo "if header :matches \"x-tag\" \"*-$i-*\" { set \"t\" \"\${1}\"; fileinto \"T\${t}\"; }" ;;
    3) echo "if header :regex \"subject\" \"^ticket #$i\\\\b\" { fileinto \"R$i\"; }" ;;
    4) echo "if header :value \"gt\" :comparator \"i;ascii-numeric\" \"x-score-$i\" \"$i\" { discard; }" ;;
    esac
    i=$((i + 1))
  done
} > "$T/rules.sieve"
j=1
while [ $j -le "$M" ]; do
  printf 'From: user%d@d%d.example\nTo: support@example.org\nSubject: topic%d question\nX-Tag: a-%d-b\n\nBody %d\n' \
    $j $j $((j * 7 % 600)) $j $j > "$T/m$j.eml"
  j=$((j + 1))
done
now_ms() { date +%s%3N; }
t0=$(now_ms)
for k in 1 2 3 4 5 6 7 8 9 10; do "$ACKMAIL" check -r "$T/rules.sieve" >/dev/null || exit 1; done
t1=$(now_ms)
"$ACKMAIL" check -r "$T/rules.sieve" "$T"/m*.eml > /dev/null || exit 1
t2=$(now_ms)
compile=$(( (t1 - t0) / 10 ))
echo "sieve compile $N rules: $compile ms (process start included)"
echo "sieve eval: $(echo "scale=3; ($t2 - $t1 - $compile) / $M" | bc) ms/message ($M messages)"
