#!/bin/sh
# run.sh - the demo: pipe the shipped sample support mail through
# `ackmail deliver` into a temporary Maildir and SQLite file, and show
# where each message went. Run by `make demo`.
set -eu
cd "$(dirname "$0")/../.."
ACKMAIL=${ACKMAIL:-$(pwd)/filter/ackmail}
D=$(mktemp -d /tmp/ackmail-demo.XXXXXX)
cat > "$D/ackmail.conf" <<CONF
[database]
path = $D/ackmail.db

[deliver]
maildir = $D/Maildir

[support]
address = support@example-it.test
name = Example IT Support
phone = +49 30 1234567
staff = @example-it.test
tracking_address = notices@example-it.test
first_issue_number = 1001
timezone = Europe/Berlin

[outbound]
method = sendmail
sendmail = $D/sendmail
CONF
# outgoing mail (acknowledgements) is caught here instead of sent
cat > "$D/sendmail" <<'SM'
#!/bin/sh
d=$(dirname "$0")/outgoing; mkdir -p "$d"
cat > "$(mktemp "$d/mail.XXXXXX")"
SM
chmod +x "$D/sendmail"
export ACKMAIL_CONFIG="$D/ackmail.conf" ACKMAIL_NO_SYSLOG=1
if [ -f contrib/demo/customers.csv ] && "$ACKMAIL" customer --help >/dev/null 2>&1; then
  "$ACKMAIL" customer import contrib/demo/customers.csv >/dev/null
fi
echo "ackmail demo: delivering the sample mail into $D/Maildir"
echo
for m in contrib/demo/mail/*.eml; do
  name=$(basename "$m")
  from=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' contrib/demo/senders.tsv 2>/dev/null)
  rcpt=$(awk -F'\t' -v n="$name" '$1 == n { print $3 }' contrib/demo/senders.tsv 2>/dev/null)
  date=$(sed -n 's/^Date: //p' "$m" | head -1)
  now=$(date -u -d "$date" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)
  log=$(ACKMAIL_NOW=$now "$ACKMAIL" deliver -v -f "${from:-}" \
          -a "${rcpt:-support@example-it.test}" < "$m" 2>&1) || {
    echo "  $name: FAILED (exit $?): $log"; continue; }
  actions=$(printf '%s\n' "$log" | sed -n 's/.*actions="\([^"]*\)".*/\1/p' | tail -1)
  printf '  %-36s -> %s\n' "$name" "$actions"
done
echo
echo "Maildir:"
for d in "$D/Maildir" "$D"/Maildir/.*; do
  [ -d "$d/new" ] || continue
  n=$(ls "$d/new" "$d/cur" 2>/dev/null | grep -vc ':$' || true)
  printf '  %-24s %s messages\n' "$(basename "$d")" "$n"
done
if "$ACKMAIL" message list --help >/dev/null 2>&1; then
  echo; echo "Issues:"; "$ACKMAIL" issue list || true
fi
if [ -d "$D/outgoing" ]; then
  echo; echo "Acknowledgements sent: $(ls "$D/outgoing" | wc -l)"
fi
echo
echo "Everything is in $D (remove it with: rm -rf $D)"
