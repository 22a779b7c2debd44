#!/bin/sh
# 0520-support-concurrent.t - 20 deliveries at once into one database: all
# delivered, all recorded, 20 distinct issues; a database locked past the
# busy timeout defers the message (exit 75) and loses nothing.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

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

# the first open of a new database switches it to WAL, which SQLite does
# not wait for; race it a few more times on fresh files
bad=0
for round in 1 2 3 4 5; do
  sed "s|$T/db.sqlite|$T/fresh$round.sqlite|; s|$T/Maildir|$T/fresh$round|" \
    "$T/ackmail.conf" > "$T/fresh.conf"
  pids=""
  i=1
  while [ $i -le 20 ]; do
    ( "$ACKMAIL" deliver -c "$T/fresh.conf" < "$T/in/$i.eml" 2>> "$T/fresh.err" ||
      echo "round $round message $i: $?" >> "$T/fresh.bad" ) &
    pids="$pids $!"
    i=$((i + 1))
  done
  wait $pids
done
is "$(cat "$T/fresh.bad" 2>/dev/null)" "" "five more races on a new database: every delivery exits 0"
is "$(cat "$T"/fresh*/new/* 2>/dev/null | grep -c '^Message-ID:')" 100 "and delivers all 100"

# a database locked by someone else past the busy timeout: exit 75
sed 's/^busy_timeout = 30s/busy_timeout = 1s/' "$T/ackmail.conf" > "$T/short.conf"
mkfifo "$T/lockctl" "$T/lockack"
# a writer that holds the lock until told to let go; it says "locked"
# once it has it, so nothing here depends on timing
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO delivery_log (at, outcome) VALUES (0, \"lock\")")
with open(sys.argv[3], "w") as ack:
    ack.write("locked\n")
open(sys.argv[2]).read()
db.execute("ROLLBACK")
' "$T/db.sqlite" "$T/lockctl" "$T/lockack" &
locker=$!
read -r state < "$T/lockack"
is "$state" locked "another writer holds the database"
printf 'From: late@cust.example\nSubject: while locked\nMessage-ID: <late@cust.example>\n\nx\n' > "$T/late.eml"
"$ACKMAIL" deliver -c "$T/short.conf" -a support@shop.example < "$T/late.eml" 2> "$T/err"
is $? 75 "a database locked past the busy timeout: exit 75 (EX_TEMPFAIL)"
is "$(ls "$T/Maildir/new" | wc -l | tr -d ' ')" 40 "nothing delivered while deferred"
: > "$T/lockctl"
wait $locker
"$ACKMAIL" deliver -c "$T/short.conf" -a support@shop.example < "$T/late.eml"
is $? 0 "the retry after the lock is gone delivers"
is "$("$ACKMAIL" message list --json -c "$T/ackmail.conf" | grep -c late@cust.example)" 1 \
  "and records the message once"
done_testing
