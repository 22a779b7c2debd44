#!/bin/sh
# manifest.sh - the manifest procmail-oracle prints (without --log),
# computed in plain shell so the differential test can afford thousands
# of runs: same scratch layout, same arguments, same sendmail stub,
# same normalisation. e2e/0300 checks it against the oracle itself.
# usage: manifest.sh [--log] "PROGRAM ARGS" RCFILE MESSAGE [VAR=value ...]
log=
[ "$1" = --log ] && { log=1; shift; }
prog=$1 rc=$2 msg=$3
shift 3
case $rc in /*) ;; *) rc=$(pwd)/$rc ;; esac
s=$(mktemp -d /tmp/procmail-oracle.XXXXXXXX)
mkdir "$s/mail"
cat > "$s/sendmail-stub" <<STUB
#!/bin/sh
d="$s/sent"; mkdir -p "\$d"
f=\$(mktemp "\$d/XXXXXXXX")
{ printf 'ARGV:'; for a in "\$@"; do printf ' [%s]' "\$a"; done; echo; cat; } > "\$f"
STUB
chmod 755 "$s/sendmail-stub"
# in a session of its own, so we can wait for every program it left
# running (procmail does not wait for all of them)
(cd "$s" && exec setsid -w sh -c 'echo $$ > sid; exec "$@"' sh \
    env -i PATH=/usr/bin:/bin TZ=UTC $prog -m "MAILDIR=$s/mail" \
    "DEFAULT=$s/mail/DEFAULT/" "HOME=$s" "LOGFILE=$s/log" LOGABSTRACT=all \
    "SENDMAIL=$s/sendmail-stub" SHELL=/bin/sh COMSAT=no "$@" "$rc" < "$msg")
code=$?
sid=$(cat "$s/sid" 2>/dev/null)
i=0
while [ -n "$sid" ] && pgrep -s "$sid" >/dev/null && [ $i -lt 1000 ]; do
  sleep 0.01; i=$((i + 1))
done
echo "EXIT $code"
(cd "$s" && find . -type f ! -path ./log ! -path ./sendmail-stub ! -path ./sid -print0 |
  xargs -0 -r sha256sum) | while read -r h p; do
  p=${p#./}
  n=$(wc -c < "$s/$p")
  p=$(printf '%s' "$p" | sed -E 's#/(new|cur|tmp)/[^/]+$#/\1/<uniq>#; s#^sent/[^/]+$#sent/<n>#')
  printf 'FILE %s %s %d\n' "$p" "$(printf %.16s "$h")" "$n"
done | LC_ALL=C sort
if [ -n "$log" ]; then
  echo LOG
  [ -f "$s/log" ] && sed -e "s#$s#\$S#g" -E \
    -e 's#/(new|cur)/[^/[:space:]"]+#/\1/<uniq>#g' \
    -e '/^procmail: \[[0-9]+\] /d' \
    -e 's#^(procmail: Error while writing to ".*/)_[^/"]+"$#\1<lock-tmp>"#' -e 's/[ 	]+([0-9]+)$/ \1/' "$s/log"
fi
rm -rf "$s"
