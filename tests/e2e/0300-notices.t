#!/bin/sh
# 0300-notices.t - change notices: notice send, the staff Bcc to the
# tracking address (and the spoofing case), replies that end notices,
# escalation exactly at the deadline, reminders, the on-duty mail, by-hand
# commands and the history.
. "$(dirname "$0")/lib.sh"

A=$ACKMAIL
mkdir -p "$T/sent"
cat > "$T/sendmail" <<EOF
#!/bin/sh
# a stand-in sendmail: keeps each message as a file
cat > "$T/sent/\$(date +%s%N).eml"
EOF
chmod 755 "$T/sendmail"
cat > "$T/conf" <<EOF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[support]
address = support@shop.example
name = Shop IT
staff = @shop.example jane@contractor.example
tracking_address = notices@shop.example
timezone = Europe/Berlin
business_hours = Mon-Fri 08:00-17:00
holidays = 2026-12-24 2026-12-25
[ack]
enabled = no
template_dir = $ROOT/rules/templates
[notices]
deadline = 48h
lead_time = 1d
reminder = 6h
on_duty = oncall@shop.example
[outbound]
method = sendmail
sendmail = $T/sendmail
EOF
export ACKMAIL_CONFIG="$T/conf"

json_field() { # json_field FIELD < one JSON object
  python3 -c "import json,sys; v=json.loads(sys.stdin.readline())['$1']; print('' if v is None else v)"
}
notice_json() { $A notice show "$1" --json; }
state_of() { notice_json "$1" | json_field state; }

$A customer add "Anna Adams" --company "Acme Dental" --email anna@acme.example \
   --domain acme.example --phone "+49 30 1234567" --phone "+49 171 2345678" >/dev/null
ok $? "customer added"

# ---- notice send: queued in the outbox, recorded as waiting
printf 'We will replace the UPS batteries on Saturday.\n' |
  $A notice send --now "2026-11-23 09:00" --to anna@acme.example \
     --subject "UPS maintenance" --issue 1042 --change-at "2026-11-28 09:00" >"$T/out"
ok $? "notice send"
is "$(notice_json 1 | json_field state)" "waiting" "the notice waits"
is "$(notice_json 1 | json_field deadline)" "2026-11-25T08:00:00Z" "deadline 48 h after sending"
is "$(notice_json 1 | json_field change_at)" "2026-11-28T08:00:00Z" "change time in the desk's zone"
is "$(notice_json 1 | json_field customer)" "1" "the customer found by address"
f=$(ls "$T/sent" | head -1)
ok $([ -n "$f" ]; echo $?) "the notice went out through the outbox"
grep -q '^Subject: \[#1042\] UPS maintenance' "$T/sent/$f"; ok $? "issue tag in the subject"
grep -qi '^Auto-Submitted:' "$T/sent/$f"; ok $([ $? -ne 0 ]; echo $?) "no Auto-Submitted header"
mid=$(sed -n 's/^Message-ID: <\(.*\)>.*/\1/p' "$T/sent/$f")
is "$(notice_json 1 | json_field message_id)" "$mid" "Message-ID recorded"
case "$mid" in ackmail.1042.notice.*) r=0 ;; *) r=1 ;; esac
ok $r "signed Message-ID of the support core ($mid)"

# ---- escalation at the deadline and not before; idempotent
out=$($A escalate --now "2026-11-25 08:59:59" --json)
is "$out" "" "no escalation one second before the deadline"
is "$(state_of 1)" "waiting" "still waiting before the deadline"
ls "$T/sent" | wc -l > "$T/n1"
$A escalate --now "2026-11-25 09:00:00" --json > "$T/esc"
is "$(json_field state < "$T/esc")" "escalated" "escalated at the deadline"
is "$(json_field reason < "$T/esc")" "no reply in 48 h" "why: no reply in 48 h"
is "$($A escalate --now "2026-11-25 09:00:00" --json)" "" "escalate again changes nothing"
grep -l "^To: oncall@shop.example" "$T"/sent/*.eml >/dev/null
ok $? "the on-duty technician got mail"
grep -h -A30 "^To: oncall@shop.example" "$T"/sent/*.eml | grep -q "+49 30 1234567"
ok $? "the on-duty mail has the phone numbers"
is "$(grep -l "^To: oncall@shop.example" "$T"/sent/*.eml | wc -l)" "1" "one on-duty mail, not two"

# ---- by hand: called closes it; ack by hand; list
$A notice called 1 --note "spoke to Anna, fine" --now "2026-11-25 10:00" >/dev/null
ok $? "notice called"
is "$(state_of 1)" "called" "called"
$A notice ack 1 --now "2026-11-25 10:01" >/dev/null 2>&1
ok $([ $? -ne 0 ]; echo $?) "a called notice cannot be acknowledged"
notice_json 1 | python3 -c "
import json,sys
h=[(e['state'],e['note']) for e in json.load(sys.stdin)['history']]
sys.exit(0 if [x[0] for x in h]==['waiting','waiting','escalated','called']
         and h[1][1]=='reminder sent' else 1)"
ok $? "the history keeps every state change"
$A notice show 1 | grep -q "spoke to Anna"
ok $? "notice show prints the note"

# ---- a staff member's Bcc to the tracking address, with a deadline line
mk_staff_mail() { # FROM MSGID
cat <<EOF
From: Jane Doe <$1>
To: Anna Adams <anna@acme.example>, Bob <bob@acme.example>
Cc: colleague@shop.example
Subject: [#1043] Firewall update tonight
Date: Mon, 23 Nov 2026 10:00:00 +0100
Message-ID: <$2>

Hello Anna,

we will update the firewall tonight at 22:00.
deadline: 4h

Jane
EOF
}
mk_staff_mail jane@shop.example bcc1@shop.example |
  ACKMAIL_NOW=2026-11-23T09:00:00Z $A deliver -f jane@shop.example -a notices@shop.example
ok $? "the Bcc is delivered"
$A notice list --json > "$T/list"
is "$(grep -c bcc1@shop.example "$T/list")" "2" "a notice for each customer recipient, none for staff"
is "$(grep bcc1@shop.example "$T/list" | head -1 | json_field deadline)" "2026-11-23T13:00:00Z" \
   "deadline from the deadline: line"
# the same mail again records nothing new
mk_staff_mail jane@shop.example bcc1@shop.example |
  ACKMAIL_NOW=2026-11-23T09:00:00Z $A deliver -f jane@shop.example -a notices@shop.example
is "$($A notice list --json | grep -c bcc1@shop.example)" "2" "delivered twice, recorded once"

# ---- spoofing: not staff, or staff name on a foreign address
before=$($A notice list --json | wc -l)
mk_staff_mail mallory@evil.example spoof1@evil.example |
  ACKMAIL_NOW=2026-11-23T09:00:00Z $A deliver -f mallory@evil.example -a notices@shop.example
ok $? "mail from a stranger to the tracking address is still delivered"
is "$($A notice list --json | wc -l)" "$before" "a non-staff sender records no notice"
mk_staff_mail jane@shop.example.evil.example spoof2@evil.example |
  ACKMAIL_NOW=2026-11-23T09:00:00Z $A deliver -a notices+notice@shop.example
is "$($A notice list --json | wc -l)" "$before" "a look-alike staff domain records no notice"
# a contractor listed by address, through a +notice sub-address
mk_staff_mail jane@contractor.example bcc2@contractor.example |
  ACKMAIL_NOW=2026-11-23T09:00:00Z $A deliver -a support+notice@shop.example
is "$($A notice list --json | grep -c bcc2@contractor.example)" "2" "staff address via support+notice"

# ---- replies end notices
id_of() { $A notice list --json | grep "\"$1\"" | grep "\"to\":\"$2\"" | json_field id; }
n_anna=$(id_of bcc1@shop.example anna@acme.example)
n_bob=$(id_of bcc1@shop.example bob@acme.example)
cat <<EOF | ACKMAIL_NOW=2026-11-23T10:00:00Z $A deliver -a support@shop.example
From: Anna Adams <anna@acme.example>
To: support@shop.example
Subject: Re: [#1043] Firewall update tonight
In-Reply-To: <bcc1@shop.example>
Message-ID: <reply1@acme.example>

OK, go ahead.

> we will update the firewall tonight at 22:00.
EOF
is "$(state_of $n_anna)" "acknowledged" "a human reply acknowledges"
is "$(notice_json $n_anna | json_field ack_by)" "anna@acme.example" "who acknowledged"
is "$(notice_json $n_anna | json_field ack_excerpt)" "OK, go ahead." "the first lines of what they said"
is "$(state_of $n_bob)" "waiting" "the other recipient's notice still waits"

# an out-of-office reply: away with the return date, escalated at once
cat <<EOF | ACKMAIL_NOW=2026-11-23T10:05:00Z $A deliver -a support@shop.example
From: Bob <bob@acme.example>
To: jane@shop.example
Subject: Automatic reply: [#1043] Firewall update tonight
In-Reply-To: <bcc1@shop.example>
Auto-Submitted: auto-replied
Message-ID: <ooo1@acme.example>

I am out of the office until 30.11.2026 with limited access to e-mail.
EOF
is "$(state_of $n_bob)" "away" "an out-of-office reply marks it away"
is "$(notice_json $n_bob | json_field away_until)" "2026-11-29T23:00:00Z" "the return date"
is "$(notice_json $n_bob | json_field escalated_at)" "2026-11-23T10:05:00Z" "escalated at once"

# a read receipt: seen, not acknowledged
n_c1=$(id_of bcc2@contractor.example anna@acme.example)
cat <<EOF | ACKMAIL_NOW=2026-11-23T10:10:00Z $A deliver -f anna@acme.example -a support@shop.example
From: Anna Adams <anna@acme.example>
To: jane@contractor.example
Subject: Read: [#1043] Firewall update tonight
Message-ID: <mdn1@acme.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="b"

--b
Content-Type: text/plain

The message was displayed.
--b
Content-Type: message/disposition-notification

Reporting-UA: mail.acme.example
Final-Recipient: rfc822;anna@acme.example
Original-Message-ID: <bcc2@contractor.example>
Disposition: manual-action/MDN-sent-manually; displayed

--b--
EOF
is "$(state_of $n_c1)" "seen" "a read receipt marks it seen"

# a bounce: undeliverable, escalated at once
n_c2=$(id_of bcc2@contractor.example bob@acme.example)
cat <<EOF | ACKMAIL_NOW=2026-11-23T10:15:00Z $A deliver -f "" -a support@shop.example
From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>
To: jane@contractor.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn1@mx.acme.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d"

--d
Content-Type: text/plain

Your message could not be delivered.
--d
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; bob@acme.example
Action: failed
Status: 5.1.1

--d
Content-Type: text/rfc822-headers

From: Jane <jane@contractor.example>
To: bob@acme.example
Subject: [#1043] Firewall update tonight
Message-ID: <bcc2@contractor.example>

--d--
EOF
is "$(state_of $n_c2)" "undeliverable" "a bounce marks it undeliverable"
is "$(state_of $n_c1)" "seen" "the bounce leaves the other recipient alone"

# ---- the reminder: once, before the deadline
printf 'Printer swap on Friday.\n' |
  $A notice send --now "2026-11-24 09:00" --to anna@acme.example --subject "Printer swap" >/dev/null
n_p=$($A notice list --json | grep '"Printer swap"' | json_field id)
$A escalate -q --now "2026-11-26 02:59"
is "$(notice_json $n_p | json_field reminded_at)" "" "no reminder before deadline minus 6 h"
$A escalate -q --now "2026-11-26 03:00"
is "$(notice_json $n_p | json_field reminded_at)" "2026-11-26T02:00:00Z" "reminder at deadline minus 6 h"
$A escalate -q --now "2026-11-26 04:00"
is "$(grep -l '^Subject: Reminder: Printer swap' "$T"/sent/*.eml | wc -l)" "1" "one reminder only"
is "$(state_of $n_p)" "waiting" "a reminder does not escalate"

# ---- reminders, on-duty mails and digests carry our signed Message-ID
signed='^ackmail\.[0-9][0-9]*\.[a-z]*\.[0-9a-f]*\.[0-9a-f]\{20\}@'
rf=$(grep -l '^Subject: Reminder: Printer swap' "$T"/sent/*.eml | head -1)
rmid=$(sed -n 's/^Message-ID: <\(.*\)>.*/\1/p' "$rf")
echo "$rmid" | grep -q "${signed}"; ok $? "the reminder's Message-ID is signed ($rmid)"
of=$(grep -l "^To: oncall@shop.example" "$T"/sent/*.eml | head -1)
omid=$(sed -n 's/^Message-ID: <\(.*\)>.*/\1/p' "$of")
echo "$omid" | grep -q "${signed}"; ok $? "the on-duty mail's Message-ID is signed ($omid)"
is_loop() { # MESSAGE-ID: recorded as our own mail
  $A message list --json | python3 -c "
import json, sys
m = [json.loads(l) for l in sys.stdin]
m = [x for x in m if x.get('message_id') == sys.argv[1]]
sys.exit(0 if m and m[0]['class'] == 'loop' else 1)" "$1"
}
# our own mail coming back (a forward of the on-duty mail to the desk) is
# recognised by its signed Message-ID
sed 's/^To: .*/To: support@shop.example/' "$of" |
  ACKMAIL_NOW=2026-11-25T09:30:00Z $A deliver -f oncall@shop.example -a support@shop.example
is_loop "$omid"; ok $? "the on-duty mail coming back is our own mail (loop)"
# the customer answers the reminder, not the notice: that acknowledges it
cat <<EOF | ACKMAIL_NOW=2026-11-26T05:00:00Z $A deliver -f anna@acme.example -a support@shop.example
From: Anna Adams <anna@acme.example>
To: support@shop.example
Subject: Re: Reminder: Printer swap
Message-ID: <reply-reminder@acme.example>
In-Reply-To: <$rmid>
References: <$rmid>

Friday is fine.
EOF
is "$(state_of $n_p)" "acknowledged" "a reply to the reminder acknowledges the notice"
is "$(notice_json $n_p | json_field ack_by)" "anna@acme.example" "by the customer"
# the digest sent by mail
$A digest --now "2026-11-26 06:00" --send tech@shop.example >/dev/null 2>&1
df=$(grep -l "^To: tech@shop.example" "$T"/sent/*.eml | head -1)
dmid=$(sed -n 's/^Message-ID: <\(.*\)>.*/\1/p' "$df")
echo "$dmid" | grep -q "${signed}"; ok $? "the digest's Message-ID is signed ($dmid)"
sed 's/^To: .*/To: support@shop.example/' "$df" |
  ACKMAIL_NOW=2026-11-26T06:30:00Z $A deliver -f tech@shop.example -a support@shop.example
is_loop "$dmid"; ok $? "the digest coming back is our own mail (loop)"

# ---- business days and a change close by
printf 'x\n' | $A notice send --now "2026-12-23 10:00" --to anna@acme.example \
   --subject "Holiday work" --deadline 2bd >/dev/null
n_h=$($A notice list --json | grep '"Holiday work"' | json_field id)
is "$(notice_json $n_h | json_field deadline)" "2026-12-29T09:00:00Z" "2 business days over Christmas"
printf 'x\n' | $A notice send --now "2026-11-23 10:00" --to anna@acme.example \
   --subject "Soon" --change-at "2026-11-24 12:00" >/dev/null
n_s=$($A notice list --json | grep '"Soon"' | json_field id)
is "$(notice_json $n_s | json_field deadline)" "2026-11-23T11:00:00Z" "deadline a lead time before the change"
printf 'x\n' | $A notice send --to anna@acme.example --subject "Bad" --deadline soon >/dev/null 2>&1
ok $([ $? -ne 0 ]; echo $?) "a bad deadline is refused"

# ---- a template from rules/templates
printf 'We will move your mailbox.' | $A notice send --now "2026-11-23 10:00" \
   --to anna@acme.example --subject "Mailbox move" --template notice \
   --change-at "2026-11-27 18:00" -c "$T/conf" >/dev/null
ok $? "notice send --template notice"
f=$(grep -l '^Subject: Mailbox move' "$T"/sent/*.eml | head -1)
grep -q '^Hello Anna Adams,' "$f"; ok $? "the template names the customer"
grep -q '^Planned change: Friday 27 November 2026, 18:00 CET' "$f"; ok $? "the template has the change time"
grep -q '^Please confirm by replying to this mail by Wednesday 25 November 2026, 10:00 CET' "$f"
ok $? "the template has the deadline"

# ---- a template's own Subject: line gives the subject (the tag in front)
mkdir -p "$T/tpl"
cat > "$T/tpl/maint.txt" <<'EOF'
Subject: Maintenance window: {{subject}} on {{change_at}}

Hello {{customer_name|there}},
{{body}}
EOF
printf 'Switch firmware.' | $A notice send --now "2026-11-23 11:00" \
   --to anna@acme.example --subject "Core switch" --issue 1050 --template "$T/tpl/maint.txt" \
   --change-at "2026-11-27 18:00" >/dev/null
ok $? "notice send with a template that has a Subject:"
f=$(grep -l '^Subject: .*Maintenance window' "$T"/sent/*.eml | head -1)
is "$(sed -n 's/^Subject: //p' "$f")" "[#1050] Maintenance window: Core switch on Friday 27 November 2026, 18:00 CET" \
  "the template's subject, the issue tag in front"
sed '1,/^$/d' "$f" | grep -q 'Subject:\|Maintenance window'
ok $([ $? -ne 0 ]; echo $?) "the Subject: line is not in the body"
n_t=$($A notice list --json | grep 'Maintenance window' | json_field id)
is "$(notice_json $n_t | json_field subject)" "[#1050] Maintenance window: Core switch on Friday 27 November 2026, 18:00 CET" \
  "the notice is recorded with that subject"
printf 'Reboot.' | $A notice send --now "2026-11-23 11:05" \
   --to anna@acme.example --issue 1051 --template "$T/tpl/maint.txt" >/dev/null
ok $? "--subject may be left out when the template has one"
is "$(grep -h '^Subject: \[#1051\]' "$T"/sent/*.eml)" "Subject: [#1051] Maintenance window: on" \
  "tagged with its issue (empty values squeezed)"
printf 'x' | $A notice send --now "2026-11-23 11:06" --to anna@acme.example \
   --template notice >/dev/null 2>&1
ok $([ $? -ne 0 ]; echo $?) "no --subject and no Subject: in the template: refused"

# ---- list filters
$A notice list --state away,undeliverable --json > "$T/l2"
is "$(wc -l < "$T/l2" | tr -d ' ')" "2" "list --state filters"
done_testing
