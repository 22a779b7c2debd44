#!/bin/sh
# run.sh - the demo (make demo): the shipped sample support mail piped
# through `ackmail deliver` into a temporary Maildir and SQLite file, and
# where each message went.
set -eu
cd "$(dirname "$0")/../.."
export ACKMAIL=${ACKMAIL:-$(pwd)/filter/ackmail} ACKMAIL_NO_SYSLOG=1
D=$(mktemp -d /tmp/ackmail-demo.XXXXXX)
echo "ackmail demo: $(ls contrib/demo/mail | wc -l) messages into $D"
echo
sh contrib/demo/replay.sh "$D"
export ACKMAIL_CONFIG="$D/ackmail.conf"
echo
echo "Maildir folders:"
for d in "$D/Maildir" "$D"/Maildir/.[!.]*; do
  [ -d "$d/new" ] || continue
  printf '  %-28s %s messages\n' "$(basename "$d")" \
    "$(find "$d/new" "$d/cur" -type f | wc -l)"
done
if "$ACKMAIL" issue list >/dev/null 2>&1; then
  echo; echo "Issues:"; "$ACKMAIL" issue list | sed 's/^/  /'
fi
if "$ACKMAIL" notice list >/dev/null 2>&1; then
  echo; echo "Change notices:"; "$ACKMAIL" notice list | sed 's/^/  /'
fi
echo
echo "Mail ackmail sent (kept in $D/sent): $(ls "$D/sent" | wc -l)"
echo "Everything is in $D; remove it with: rm -rf $D"
