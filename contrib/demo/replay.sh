#!/bin/sh
# replay.sh - deliver the demo mail through ackmail, in arrival order, one
# "ackmail deliver" per message, with the envelope from senders.tsv and the
# message's Date as the clock (ACKMAIL_NOW).
#
#   contrib/demo/replay.sh [DIR]
#
# DIR (default: a new directory under /tmp) gets the configuration, the
# database, the Maildir and, in sent/, the mail ackmail would have sent.
# ACKMAIL names the program (default: filter/ackmail of this tree, else
# ackmail on the PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${ACKMAIL:-}" ]; then
  if [ -x "$here/../../filter/ackmail" ]; then
    ACKMAIL=$here/../../filter/ackmail
  else
    ACKMAIL=ackmail
  fi
fi
dir=${1:-$(mktemp -d /tmp/ackmail-demo.XXXXXX)}
mkdir -p "$dir/Maildir" "$dir/sent"
dir=$(cd "$dir" && pwd)

src=$(cd "$here/../.." && pwd)
sed -e "s|@DIR@|$dir|g" -e "s|@SRC@|$src|g" "$here/ackmail.conf" > "$dir/ackmail.conf"
# the stand-in for sendmail: one file per message, its arguments first
cat > "$dir/sendmail" <<SENDMAIL
#!/bin/sh
n=\$(ls "$dir/sent" | wc -l)
f=\$(printf '%s/sent/%03d.eml' "$dir" \$((n + 1)))
{ printf 'X-Demo-Sendmail-Args:'; printf ' %s' "\$@"; echo; cat; } > "\$f"
SENDMAIL
chmod 755 "$dir/sendmail"

export ACKMAIL_CONFIG="$dir/ackmail.conf"
# the shop's customer register
"$ACKMAIL" customer import "$here/customers.csv" > /dev/null
# senders.tsv: file, envelope sender (empty for the bounce), recipient.
# cut, not "IFS=<tab> read": read would merge the two tabs around an
# empty field.
cut -f1 "$here/senders.tsv" | while read -r file; do
  line=$(grep "^$file	" "$here/senders.tsv")
  from=$(printf '%s\n' "$line" | cut -f2)
  to=$(printf '%s\n' "$line" | cut -f3)
  date=$(sed -n '/^$/q; s/^Date: *//p' "$here/mail/$file" | sed 's/ *(.*)$//')
  now=$(date -u -d "$date" +%Y-%m-%dT%H:%M:%SZ)
  st=0
  log=$(ACKMAIL_NOW=$now "$ACKMAIL" deliver -v -f "$from" -a "$to" \
    < "$here/mail/$file" 2>&1) || st=$?
  actions=$(printf '%s\n' "$log" | sed -n 's/.* actions="\([^"]*\)".*/\1/p' | tail -1)
  printf '%s  %-36s exit %d  %s\n' "$now" "$file" "$st" "$actions"
  [ "$st" -eq 0 ] || printf '%s\n' "$log" | sed 's/^/    /'
done
echo "results in $dir: Maildir/, ackmail.db, sent/"
