#!/bin/bash
# ackmail poll --idle: a message appended while the service waits in
# IDLE is processed (with a polling interval of an hour, only IDLE can
# explain it); the service reconnects after Dovecot restarts; SIGTERM
# stops it cleanly. Also --no-idle with a short polling interval, and
# several watched mailboxes: a message appended to any of them while
# the service waits is processed (a watcher connection IDLEs on each
# mailbox but the last, which the main connection IDLEs on), also with
# fewer connections allowed than mailboxes (the rest by interval).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

dovecot_start || { echo "1..0 # SKIP dovecot did not start"; exit 0; }
msgs=$(ls "$CORPUS"/request-tracker/*.eml | head -4)
set -- $msgs
imap_tool append "$IMAP_PORT" INBOX "$1"
C=$T/ackmail.conf
poll_conf "$C" processed=flag interval=1h

# wait_log FILE PATTERN COUNT [TRIES]: until FILE has COUNT matching lines
wait_log() {
  for _ in $(seq 1 "${4:-300}"); do
    [ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
    sleep 0.1
  done
  return 1
}

"$ACKMAIL" poll -c "$C" --idle 2> "$T/log" &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_log "$T/log" 'uid [0-9]*: message-id=' 1; ok $? "the first pass processes the waiting message"
sleep 0.5 # let it enter IDLE
imap_tool append "$IMAP_PORT" INBOX "$2"
wait_log "$T/log" 'uid [0-9]*: message-id=' 2; ok $? "a message appended during IDLE is processed"
is "$(imap_tool count "$IMAP_PORT" INBOX UNKEYWORD '$AckmailProcessed')" 0 "and marked"

# Dovecot goes away and comes back: the service reconnects
dovecot_kill
sleep 0.5
dovecot_start
imap_tool append "$IMAP_PORT" INBOX "$3"
wait_log "$T/log" 'uid [0-9]*: message-id=' 3 400; ok $? "after a Dovecot restart the service reconnects and goes on"
grep -q 'reconnecting\|retrying' "$T/log"; ok $? "the lost connection is logged"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null; ok $? "SIGTERM stops the service"
wait "$pid"; st=$?
is "$st" 0 "it exits 0"
grep -q 'stopped (3 processed' "$T/log"; ok $? "its last line sums up"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log")" 3 "one log line per message"

# without IDLE: the polling interval
poll_conf "$C" processed=flag interval=1
"$ACKMAIL" poll -c "$C" --idle --no-idle 2> "$T/log2" &
pid=$!
at_exit "kill $pid 2>/dev/null"
sleep 0.5
imap_tool append "$IMAP_PORT" INBOX "$4"
wait_log "$T/log2" 'uid [0-9]*: message-id=' 1; ok $? "--no-idle: a new message is found by polling"
kill -TERM "$pid"; wait "$pid"; st=$?
is "$st" 0 "--no-idle: SIGTERM, exit 0"

# several mailboxes: wait until the service idles on all three, then
# append to each in turn; with interval = 1h only IDLE explains it
idle_lines() { grep -c "IDLE on $1 of 3 mailbox" "$2" 2>/dev/null; }
set -- $(ls "$CORPUS"/request-tracker/*.eml | sed -n 5,6p)
imap_tool append "$IMAP_PORT" Second "$1"   # creates Second
imap_tool append "$IMAP_PORT" Third "$2"    # creates Third
poll_conf "$C" processed=flag interval=1h "mailbox=INBOX, Second, Third"
"$ACKMAIL" poll -c "$C" --idle -v 2> "$T/log3" &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_log "$T/log3" 'IDLE on 3 of 3 mailbox' 1; ok $? "three mailboxes: the service idles on all three"
base=$(grep -c 'uid [0-9]*: message-id=' "$T/log3")
for mb in Second INBOX Third; do
  waits=$(idle_lines 3 "$T/log3")
  sed "s/^Message-ID: .*/Message-ID: <idle-$mb-$$@example.com>/I" \
    "$(ls "$CORPUS"/request-tracker/*.eml | sed -n 8p)" > "$T/idle-$mb.eml"
  imap_tool append "$IMAP_PORT" "$mb" "$T/idle-$mb.eml"
  wait_log "$T/log3" "imap support/$mb uid [0-9]*: message-id=<idle-$mb-" 1
  ok $? "a message appended to $mb while idling is processed"
  wait_log "$T/log3" 'IDLE on 3 of 3 mailbox' $((waits + 1)); ok $? "and the service idles on all three again"
done
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log3")" $((base + 3)) "one log line per new message"
kill -TERM "$pid"; wait "$pid"; st=$?
is "$st" 0 "three mailboxes: SIGTERM, exit 0"

# only two connections allowed: INBOX (a watcher) and Third (the main
# connection) by IDLE, Second by the interval (1 s here)
poll_conf "$C" processed=flag interval=1 idle_connections=2 "mailbox=INBOX, Second, Third"
"$ACKMAIL" poll -c "$C" --idle -v 2> "$T/log4" &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_log "$T/log4" 'IDLE on 2 of 3 mailbox' 1; ok $? "idle_connections = 2: IDLE on two of the three mailboxes"
sed "s/^Message-ID: .*/Message-ID: <idle-limit-$$@example.com>/I" "$(ls "$CORPUS"/request-tracker/*.eml | sed -n 8p)" > "$T/idle-limit.eml"
imap_tool append "$IMAP_PORT" Second "$T/idle-limit.eml"
wait_log "$T/log4" "imap support/Second uid [0-9]*: message-id=<idle-limit-" 1
ok $? "the mailbox without a watcher is polled by the interval"
kill -TERM "$pid"; wait "$pid"; st=$?
is "$st" 0 "idle_connections = 2: SIGTERM, exit 0"
done_testing
