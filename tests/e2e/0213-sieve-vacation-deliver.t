#!/bin/sh
# ackmail deliver -r with a Sieve vacation: the reply goes out through
# sendmail once per sender and period (the record is in the state
# database), never to a robot, and the message is still delivered.
. "$(dirname "$0")/lib.sh"
plan 12
cat > "$T/sendmail" <<'S'
#!/bin/sh
n=$(ls "$(dirname "$0")/out" 2>/dev/null | wc -l)
{ echo "ARGS: $*"; cat; } > "$(dirname "$0")/out/reply.$n"
S
chmod +x "$T/sendmail"
mkdir -p "$T/out"
cat > "$T/ackmail.conf" <<C
[database]
path = $T/state.db
[outbound]
sendmail = $T/sendmail
C
mkdir -p "$T/Maildir/.Seen/cur" "$T/Maildir/.Seen/new" "$T/Maildir/.Seen/tmp"
cat > "$T/vac.sieve" <<'S'
require ["vacation", "fileinto"];
vacation :days 7 :subject "Out of office" "I am away until Monday.";
fileinto "Seen";
S
msg() { printf 'From: Customer <%s>\nTo: support@example.org\nSubject: help\nMessage-ID: <%s@example.net>\n%s\nPlease help.\n' "$1" "$2" "$3"; }
deliver() { "$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/vac.sieve" -m "$T/Maildir" -f "$1" -a support@example.org; }

msg cust@example.net m1 "" | deliver cust@example.net
ok $? "first message delivered"
is "$(ls "$T/out" | wc -l | tr -d ' ')" 1 "one reply sent"
grep -q "^Subject: Out of office" "$T/out/reply.0"
ok $? "reply has the :subject"
grep -q "^ARGS: -oi -f <> -- cust@example.net" "$T/out/reply.0"
ok $? "reply goes to the sender with the null envelope sender"
grep -q "^Auto-Submitted: auto-replied" "$T/out/reply.0" && grep -q "^In-Reply-To: <m1@example.net>" "$T/out/reply.0"
ok $? "reply is marked auto-replied and threads to the message"
msg cust@example.net m2 "" | deliver cust@example.net
is "$(ls "$T/out" | wc -l | tr -d ' ')" 1 "no second reply to the same sender within the period"
msg MAILER-DAEMON@example.net m3 "" | deliver MAILER-DAEMON@example.net
is "$(ls "$T/out" | wc -l | tr -d ' ')" 1 "no reply to MAILER-DAEMON"
msg list@example.net m4 "List-Id: <l.example.net>" | deliver list@example.net
is "$(ls "$T/out" | wc -l | tr -d ' ')" 1 "no reply to list mail"
is "$(find "$T/Maildir/.Seen" -type f -path "*/[nc][eu][wr]/*" | wc -l | tr -d " ")" 4 "every message was filed"

# a reply taken back because the delivery fell back (fileinto of a
# missing folder) leaves no per-sender record: the next message from that
# sender is answered
cat > "$T/gone.sieve" <<'S'
require ["vacation", "fileinto"];
vacation :days 7 :subject "Out of office" "I am away until Monday.";
fileinto "Gone";
S
msg other@example.net m5 "" |
  "$ACKMAIL" deliver -c "$T/ackmail.conf" -r "$T/gone.sieve" -m "$T/Maildir" -f other@example.net -a support@example.org
ok $? "a fileinto of a missing folder still delivers (to INBOX)"
is "$(ls "$T/out" | wc -l | tr -d ' ')" 1 "and the vacation reply is taken back"
msg other@example.net m6 "" | deliver other@example.net
is "$(ls "$T/out" | wc -l | tr -d ' ')" 2 "so the sender's next message is answered"
