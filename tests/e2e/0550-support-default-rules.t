#!/bin/sh
# 0550-support-default-rules.t - with no rule file, deliver runs the
# shipped rules/default.sieve (from the source tree the binary was built
# in, else as installed, else the copy built into the binary; a missing or
# broken file never stops the support work), and ackmail_acknowledge
# answers a message that opened or reopened its issue, every message with
# :always, always through the gate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
sink_start "$T/sink"

conf() { # conf FILE [RULES [ACK-PERIOD]]
  cat > "$1" <<CONF
[database]
path = $1.db
[deliver]
maildir = $1.Maildir
[support]
address = support@desk.example
staff = @desk.example
secret = default-rules
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
period = ${3:-1d}
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
CONF
  [ -n "${2:-}" ] && printf '[rules]\npath = %s\n' "$2" >> "$1"
  return 0
}
mail() { # mail FROM SUBJECT MSGID [EXTRA-HEADER]
  printf 'From: %s\nTo: support@desk.example\nSubject: %s\nMessage-ID: <%s>\n' "$1" "$2" "$3"
  [ -n "${4:-}" ] && printf '%s\n' "$4"
  printf 'Date: Mon, 02 Mar 2026 09:00:00 +0100\n\nHello, the printer is broken.\n'
}
deliver() { # deliver BINARY CONF [deliver options] < message
  _bin=$1 _conf=$2; shift 2
  ACKMAIL_NOW=${NOW:-2026-03-02T09:00:00Z} "$_bin" deliver -v -c "$_conf" \
    -f sender@customer.example -a support@desk.example "$@"
}

# the built-in copy is byte for byte the shipped file
python3 - "$ACKMAIL" "$ROOT/rules/default.sieve" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
sys.exit(0 if open(sys.argv[2], "rb").read() + b"\0" in data else 1)
PY
ok $? "the binary carries rules/default.sieve as built-in copy, unchanged"

# 1. from the source tree (an [ack] period of an hour: the gate would
# answer the follow-up below, the rule does not ask it to)
conf "$T/c1" "" 1h
mail "Anna <anna@customer.example>" "Printer broken" a1@customer.example |
  deliver "$ACKMAIL" "$T/c1" 2> "$T/log"
is $? 0 "deliver without rules exits 0"
grep -q "rules: none configured; the standard flow of $ROOT/rules/default.sieve" "$T/log"
ok $? "the standard flow is the source tree's rules/default.sieve"
"$ACKMAIL" issue list --json -c "$T/c1" > "$T/issues"
is "$(wc -l < "$T/issues" | tr -d ' ')" 1 "the human message opened an issue"
is "$(sink_count "$T/sink")" 1 "and was acknowledged"
is "$(ls "$T/c1.Maildir/new" | wc -l | tr -d ' ')" 1 "and filed in the default mailbox"
grep -q 'actions="keep INBOX"' "$T/log"; ok $? "by the implicit keep, as before"

# a follow-up: on the issue, not acknowledged again (the gate would
# let it through: a rule without :always answers new/reopened issues only)
mail "Anna <anna@customer.example>" "Re: [#1001] Printer broken" a2@customer.example \
  "In-Reply-To: <a1@customer.example>" | NOW=2026-03-02T12:00:00Z deliver "$ACKMAIL" "$T/c1" 2> "$T/log"
"$ACKMAIL" message list --json --issue 1001 -c "$T/c1" > "$T/msgs"
is "$(wc -l < "$T/msgs" | tr -d ' ')" 2 "the follow-up joined issue 1001"
is "$(sink_count "$T/sink")" 1 "a follow-up is not acknowledged"
# a robot: attached, never answered
mail "Anna <anna@customer.example>" "Automatic reply: [#1001] Printer broken" a3@customer.example \
  "Auto-Submitted: auto-replied" | deliver "$ACKMAIL" "$T/c1" 2> "$T/log"
grep -q "ack: not answering <a3@customer.example>.*classified autoreply" "$T/log"
ok $? "a robot is not answered, and the reason is logged"
is "$(sink_count "$T/sink")" 1 "still one acknowledgement"
# the issue resolved, the customer writes again: reopened, acknowledged
"$ACKMAIL" issue close 1001 --resolved --quiet -c "$T/c1" > /dev/null 2>&1
mail "Anna <anna@customer.example>" "Re: [#1001] Printer broken" a4@customer.example \
  "In-Reply-To: <a1@customer.example>" |
  ACKMAIL_NOW=2026-03-05T09:00:00Z "$ACKMAIL" deliver -c "$T/c1" -f anna@customer.example -a support@desk.example
"$ACKMAIL" issue list --json -c "$T/c1" | grep -q '"number":1001.*"state":"open"'
ok $? "a reply to the resolved issue reopens it"
is "$(sink_count "$T/sink")" 2 "a reopened issue is acknowledged"

# 2. a binary outside any source tree, and nothing installed: the built-in
# copy does the same
mkdir -p "$T/bin"
cp "$ACKMAIL" "$T/bin/ackmail"
if [ -e /usr/local/share/ackmail/rules/default.sieve ]; then
  ok 0 "# SKIP an installed default.sieve exists"
else
  conf "$T/c2"
  mail "Ben <ben@customer.example>" "VPN drops" b1@customer.example |
    deliver "$T/bin/ackmail" "$T/c2" 2> "$T/log"
  is $? 0 "deliver with no rules file anywhere exits 0"
  grep -q "the standard flow of (built-in rules/default.sieve)" "$T/log"
  ok $? "the built-in copy runs"
  "$ACKMAIL" issue list --json -c "$T/c2" | grep -q '"number":1001'
  ok $? "the issue was opened"
  is "$(sink_count "$T/sink")" 3 "and acknowledged"
fi

# 3. a source tree whose default.sieve changed: that file is what runs;
# broken, the built-in copy takes over and says so
mkdir -p "$T/tree/filter" "$T/tree/rules"
cp "$ACKMAIL" "$T/tree/filter/ackmail"
: > "$T/tree/filter/main.c"
sed 's/^ackmail_acknowledge;$/ackmail_tag "from-tree";/' "$ROOT/rules/default.sieve" > "$T/tree/rules/default.sieve"
conf "$T/c3"
mail "Clara <clara@customer.example>" "Backup failed" c1@customer.example |
  deliver "$T/tree/filter/ackmail" "$T/c3" 2> "$T/log"
"$ACKMAIL" issue list --json -c "$T/c3" | grep -q '"tags":\["from-tree"\]'
ok $? "the source tree's changed file runs"
n=$(sink_count "$T/sink")
printf 'require "vnd.ackmail";\nackmail_issue\n' > "$T/tree/rules/default.sieve"
mail "Clara <clara@customer.example>" "Scanner broken" c2@customer.example |
  deliver "$T/tree/filter/ackmail" "$T/c3" 2> "$T/log"
is $? 0 "a broken default.sieve still delivers"
grep -q "do not compile, using the built-in copy" "$T/log"; ok $? "it says so"
"$ACKMAIL" issue list --json -c "$T/c3" | grep -q '"number":1002'
ok $? "and the built-in copy opened the issue"
is "$(sink_count "$T/sink")" $((n + 1)) "and acknowledged it"

# 4. configured rules win; a broken rule file falls back to the standard flow
printf 'require ["vnd.ackmail"];\nackmail_issue :queue "mine";\n' > "$T/mine.sieve"
conf "$T/c4" "$T/mine.sieve"
mail "Dan <dan@customer.example>" "Mail is slow" d1@customer.example |
  deliver "$ACKMAIL" "$T/c4" 2> "$T/log"
grep -q "standard flow" "$T/log"; ok $(( $? == 0 )) "configured rules: no standard flow"
"$ACKMAIL" issue list --json -c "$T/c4" | grep -q '"queue":"mine"'
ok $? "the configured rules ran"
printf 'require ["vnd.ackmail"];\nackmail_issue :queue\n' > "$T/mine.sieve"
mail "Dan <dan@customer.example>" "Monitor flickers" d2@customer.example |
  deliver "$ACKMAIL" "$T/c4" 2> "$T/log"
grep -q "rules: broken; the standard flow of" "$T/log"
ok $? "broken rules: the standard flow runs"
"$ACKMAIL" issue list --json -c "$T/c4" | grep -q '"number":1002'
ok $? "and opened the issue"

# 5. :always answers every message (still through the gate: its period
# stops a second answer about the same issue the same day)
cat > "$T/always.sieve" <<'SIEVE'
require ["vnd.ackmail"];
if ackmail_robot { ackmail_issue; stop; }
ackmail_issue;
ackmail_acknowledge :always :template "ack" :lang "de";
SIEVE
conf "$T/c5" "$T/always.sieve" 1h
n=$(sink_count "$T/sink")
mail "Eva <eva@customer.example>" "Laptop battery" e1@customer.example |
  ACKMAIL_NOW=2026-03-02T09:00:00Z "$ACKMAIL" deliver -c "$T/c5" -f eva@customer.example -a support@desk.example
mail "Eva <eva@customer.example>" "Re: [#1001] Laptop battery" e2@customer.example "In-Reply-To: <e1@customer.example>" |
  ACKMAIL_NOW=2026-03-02T09:10:00Z "$ACKMAIL" deliver -c "$T/c5" -f eva@customer.example -a support@desk.example
is "$(sink_count "$T/sink")" $((n + 1)) ":always: the gate's period still holds within the hour"
mail "Eva <eva@customer.example>" "Re: [#1001] Laptop battery" e3@customer.example "In-Reply-To: <e1@customer.example>" |
  ACKMAIL_NOW=2026-03-02T11:00:00Z "$ACKMAIL" deliver -c "$T/c5" -f eva@customer.example -a support@desk.example
is "$(sink_count "$T/sink")" $((n + 2)) ":always: a follow-up after the period is answered"
last=$(ls "$T/sink"/*.eml | tail -1)
grep -q 'vielen Dank' "$last"
ok $? ":lang \"de\" chose the German template"

done_testing
