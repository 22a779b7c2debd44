#!/bin/sh
# 0520-support-concurrent.t - 20 deliveries at once into one database: all
# delivered, all recorded, 20 distinct issues; a database locked past the
# busy timeout defers the message (exit 75) and loses nothing.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

cat > "$T/ackmail.conf" <<CONF
[database]
path = $T/db.sqlite
busy_timeout = 30s
[deliver]
maildir = $T/Maildir
[support]
address = support@shop.example
staff = @shop.example
first_issue_number = 1001
secret = t
CONF
mkdir -p "$T/in"
i=1
while [ $i -le 20 ]; do
  printf 'From: Customer %d <c%d@cust%d.example>\nTo: support@shop.example\nSubject: problem number %d\nMessage-ID: <m%d@cust.example>\n\nIt is broken (%d).\n' \
    $i $i $i $i $i $i > "$T/in/$i.eml"
  i=$((i + 1))
done

# all at once, on a database that does not exist yet: the migrations
# themselves are raced too
pids=""
i=1
while [ $i -le 20 ]; do
  ( "$ACKMAIL" deliver -c "$T/ackmail.conf" -a support@shop.example < "$T/in/$i.eml"
    echo $? > "$T/rc.$i" ) &
  pids="$pids $!"
  i=$((i + 1))
done
wait $pids
bad=0
for f in "$T"/rc.*; do [ "$(cat "$f")" = 0 ] || bad=$((bad + 1)); done
is "$bad" 0 "20 concurrent deliveries all exit 0"
is "$(ls "$T/Maildir/new" | wc -l | tr -d ' ')" 20 "20 messages in the Maildir"
"$ACKMAIL" message list --json -c "$T/ackmail.conf" > "$T/list"
is "$(wc -l < "$T/list" | tr -d ' ')" 20 "20 messages recorded, no lost rows"
is "$(grep -o '"issue":[0-9]*' "$T/list" | sort -u | wc -l | tr -d ' ')" 20 \
  "20 distinct issues"
"$ACKMAIL" issue list --json -c "$T/ackmail.conf" > "$T/issues"
is "$(grep -o '"number":[0-9]*' "$T/issues" | sed 's/.*://' | sort -n | tr '\n' ' ')" \
  "1001 1002 1003 1004 1005 1006 1007 1008 1009 1010 1011 1012 1013 1014 1015 1016 1017 1018 1019 1020 " \
  "issue numbers 1001..1020, none twice"

# the same 20 again, concurrently: recorded once, nothing new
pids=""
i=1
while [ $i -le 20 ]; do
  "$ACKMAIL" deliver -c "$T/ackmail.conf" -a support@shop.example < "$T/in/$i.eml" &
  pids="$pids $!"
  i=$((i + 1))
done
wait $pids
is "$("$ACKMAIL" message list --json -c "$T/ackmail.conf" | wc -l | tr -d ' ')" 20 \
  "redelivered duplicates are recorded once"
is "$("$ACKMAIL" issue list --json -c "$T/ackmail.conf" | wc -l | tr -d ' ')" 20 \
  "and open no issue"

# a database locked by someone else past the busy timeout: exit 75
sed 's/^busy_timeout = 30s/busy_timeout = 1s/' "$T/ackmail.conf" > "$T/short.conf"
mkfifo "$T/lockctl"
( sqlite3 "$T/db.sqlite" < "$T/lockctl" > /dev/null 2>&1 ) &
locker=$!
exec 9> "$T/lockctl"
echo "BEGIN EXCLUSIVE; INSERT INTO delivery_log (at, outcome) VALUES (0, 'lock');" >&9
# wait until the lock is really held (a probe fails at once)
n=0
while sqlite3 "$T/db.sqlite" "BEGIN IMMEDIATE; ROLLBACK;" > /dev/null 2>&1; do
  n=$((n + 1)); [ $n -gt 200 ] && break; sleep 0.05
done
printf 'From: late@cust.example\nSubject: while locked\nMessage-ID: <late@cust.example>\n\nx\n' > "$T/late.eml"
"$ACKMAIL" deliver -c "$T/short.conf" -a support@shop.example < "$T/late.eml" 2> "$T/err"
is $? 75 "a database locked past the busy timeout: exit 75 (EX_TEMPFAIL)"
is "$(ls "$T/Maildir/new" | wc -l | tr -d ' ')" 40 "nothing delivered while deferred"
echo "ROLLBACK;" >&9
exec 9>&-
wait $locker
"$ACKMAIL" deliver -c "$T/short.conf" -a support@shop.example < "$T/late.eml"
is $? 0 "the retry after the lock is gone delivers"
is "$("$ACKMAIL" message list --json -c "$T/ackmail.conf" | grep -c late@cust.example)" 1 \
  "and records the message once"
done_testing
