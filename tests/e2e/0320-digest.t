#!/bin/sh
# 0320-digest.t - the technicians' digest: a fixed day at the desk (with
# every row: escalated and waiting notices, a customer waiting on us, a
# resolved issue nobody told, a quiet customer, a failed mail and a
# bounced acknowledgement), its text compared with
# tests/golden/digest.txt, the JSON lines, the HTML (no scripts, no
# remote images, tel: links) and --send as
# multipart/alternative through the outbox. 0330-digest-chromium.t
# renders the HTML.
. "$(dirname "$0")/lib.sh"

A=$ACKMAIL
mkdir -p "$T/sent"
cat > "$T/sendmail" <<EOF
#!/bin/sh
for a in "\$@"; do [ "\$a" = "refuse@acme.example" ] && exit 67; done
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
staff = @shop.example
tracking_address = notices@shop.example
first_issue_number = 1001
timezone = Europe/Berlin
[ack]
enabled = no
template_dir = $ROOT/rules/templates
[notices]
deadline = 48h
[digest]
waiting_age = 1d
quiet_after = 30d
[outbound]
method = sendmail
sendmail = $T/sendmail
EOF
export ACKMAIL_CONFIG="$T/conf"

# a month before: the customers
export ACKMAIL_NOW=2026-10-20T08:00:00Z
$A customer add "Anna Adams" --company "Acme Dental" --email anna@acme.example \
  --phone "+49 30 1234567" --phone "+49 171 2345678" >/dev/null
$A customer add "Bob Berg" --company "Bluefin Legal" --email bob@bluefin.example \
  --phone "+1 (555) 010-2000" >/dev/null
$A customer add "Carla Chen" --company "Cedar Bakery" --email carla@cedar.example \
  --phone "+33 1 23 45 67 89" >/dev/null
$A customer add "Dora Dubois" --company "Delta Clinic" --email dora@delta.example >/dev/null

# Friday: notices go out
printf 'We will replace the UPS batteries.\n' | $A notice send --now "2026-11-20 09:00" \
  --to anna@acme.example --subject "UPS maintenance" --change-at "2026-11-24 07:00" >/dev/null
printf 'New VPN profile.\n' | $A notice send --now "2026-11-20 10:00" \
  --to bob@bluefin.example --subject "VPN change" >/dev/null
printf 'Printer swap.\n' | $A notice send --now "2026-11-22 11:00" \
  --to dora@delta.example --subject "Printer swap" --deadline 3d >/dev/null
unset ACKMAIL_NOW

# Bob is away until the 30th
cat <<EOF | ACKMAIL_NOW=2026-11-20T09:05:00Z $A deliver -a support@shop.example
From: Bob Berg <bob@bluefin.example>
To: support@shop.example
Subject: Automatic reply: VPN change
Auto-Submitted: auto-replied
Message-ID: <ooo-bob@bluefin.example>

I am out of the office until 30.11.2026.
EOF
# Dora asks for help on Saturday and hears nothing
cat <<EOF | ACKMAIL_NOW=2026-11-21T08:30:00Z $A deliver -a support@shop.example
From: Dora Dubois <dora@delta.example>
To: support@shop.example
Subject: Scanner does not send e-mail
Message-ID: <dora-1@delta.example>

The scanner on the 2nd floor stopped sending scans.
EOF
# a mail that the server refuses
printf 'From: support@shop.example\nTo: refuse@acme.example\nSubject: x\n\nx\n' |
  ACKMAIL_NOW=2026-11-22T12:00:00Z $A outbox queue --kind ack refuse@acme.example >/dev/null
ACKMAIL_NOW=2026-11-22T12:00:00Z $A outbox flush >/dev/null 2>&1

# an acknowledgement to a stranger bounces
printf 'From: Shop IT <support@shop.example>\nTo: eve@unknown.example\nSubject: [#1003] Your message\nMessage-ID: <ack-eve@shop.example>\nAuto-Submitted: auto-replied\n\nWe have it.\n' |
  ACKMAIL_NOW=2026-11-22T12:30:00Z $A outbox queue --kind ack eve@unknown.example >/dev/null
ACKMAIL_NOW=2026-11-22T12:30:00Z $A outbox flush >/dev/null 2>&1
cat <<EOF | ACKMAIL_NOW=2026-11-22T13:00:00Z $A deliver -f '' -a support@shop.example
From: Mail Delivery System <MAILER-DAEMON@mx.unknown.example>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-eve@mx.unknown.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

The mail system: <eve@unknown.example>: mailbox unknown

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.unknown.example

Final-Recipient: rfc822; eve@unknown.example
Action: failed
Status: 5.1.1

--b1
Content-Type: text/rfc822-headers

From: Shop IT <support@shop.example>
To: eve@unknown.example
Subject: [#1003] Your message
Message-ID: <ack-eve@shop.example>

--b1--
EOF
# Bob asks about the VPN; the issue is resolved without telling him
cat <<EOF | ACKMAIL_NOW=2026-11-22T14:00:00Z $A deliver -a support@shop.example
From: Bob Berg <bob@bluefin.example>
To: support@shop.example
Subject: VPN profile import fails
Message-ID: <bob-1@bluefin.example>

The new profile does not import.
EOF
ACKMAIL_NOW=2026-11-22T15:00:00Z $A issue close 1002 --resolved --quiet >/dev/null 2>&1
# Anna's question is resolved and she is told: not a row
cat <<EOF | ACKMAIL_NOW=2026-11-22T14:10:00Z $A deliver -a support@shop.example
From: Anna Adams <anna@acme.example>
To: support@shop.example
Subject: Label printer offline
Message-ID: <anna-1@acme.example>

The label printer is offline.
EOF
ACKMAIL_NOW=2026-11-22T15:10:00Z $A issue close 1003 --resolved --note "Restarted the print server." >/dev/null 2>&1
ok $? "issue 1003 resolved, the customer told"

# Monday morning
NOW="2026-11-23 07:30"
$A escalate -q --now "$NOW" 2>/dev/null
$A digest --now "$NOW" > "$T/digest.txt"
ok $? "digest (text)"
if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$T/digest.txt" "$ROOT/tests/golden/digest.txt"; fi
diff -u "$ROOT/tests/golden/digest.txt" "$T/digest.txt" > "$T/diff"
ok $? "the text digest is the golden one"
sed 's/^/# /' "$T/diff" | head -40

# most urgent first: the change on Tuesday comes before Bob
grep -n "Anna Adams\|Bob Berg" "$T/digest.txt" | head -2 | cut -d: -f2 | tr '\n' ' ' > "$T/order"
is "$(cat "$T/order")" " * Anna Adams, Acme Dental <anna@acme.example>  * Bob Berg, Bluefin Legal <bob@bluefin.example> " \
  "call list: the soonest change first"

# JSON lines
$A digest --now "$NOW" --format json > "$T/digest.json"
python3 - "$T/digest.json" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
s = rows[0]
assert s["section"] == "summary", s
assert (s["call"], s["waiting"], s["on_us"], s["quiet"], s["problems"]) == (2, 1, 2, 1, 2), s
on_us = [r for r in rows if r["section"] == "on_us"]
assert [(r["issue"], r["untold"]) for r in on_us] == [(1001, False), (1002, True)], on_us
assert 1003 not in [r["issue"] for r in on_us], "the customer who was told is no row"
assert on_us[1]["state"] == "resolved" and on_us[1]["customer"] == "Bob Berg", on_us[1]
probs = {r["kind"]: r for r in rows if r["section"] == "problems"}
assert set(probs) == {"failed", "ack-bounced"}, probs
b = probs["ack-bounced"]
assert b["to"] == "eve@unknown.example" and b["error"] == "eve@unknown.example", b
assert b["at"] == "2026-11-22T13:00:00Z", b
calls = [r for r in rows if r["section"] == "call"]
assert calls[0]["phones"] == ["+49 30 1234567", "+49 171 2345678"], calls[0]
assert calls[1]["reason"].startswith("out of office until"), calls[1]
EOF
ok $? "digest --format json"

# HTML: sections, tel: links, nothing remote, nothing active
$A digest --now "$NOW" --format html > "$T/digest.html"
ok $? "digest (HTML)"
for h in "1. Call today" "2. Waiting for an answer" "3. Customers waiting on us" \
         "4. Quiet customers" "5. Mail problems"; do
  grep -q "$h" "$T/digest.html"; ok $? "HTML has the section '$h'"
done
grep -q 'href="tel:+4930 1234567"' "$T/digest.html"; ok $([ $? -ne 0 ]; echo $?) "tel: links have no spaces"
grep -q 'href="tel:+49301234567"' "$T/digest.html"; ok $? "tel: link for each number"
grep -q 'href="tel:+15550102000"' "$T/digest.html"; ok $? "tel: link without punctuation"
grep -q 'resolved, but the customer was never told' "$T/digest.html"; ok $? "HTML: the resolved issue nobody told"
grep -q 'acknowledgement [0-9]* to eve@unknown.example bounced' "$T/digest.html"; ok $? "HTML: the bounced acknowledgement"
grep -qi '<script\|javascript:\|<img\|src=\|<link\|@import\|url(' "$T/digest.html"
ok $([ $? -ne 0 ]; echo $?) "no scripts, no images, no remote resources"
python3 - "$T/digest.html" <<'EOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []
    def handle_starttag(self, t, a):
        if t not in ("br", "meta", "img", "hr"):
            self.stack.append(t)
    def handle_endtag(self, t):
        if not self.stack or self.stack[-1] != t:
            self.bad.append(t)
        else:
            self.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
sys.exit(1 if p.bad or p.stack else 0)
EOF
ok $? "the HTML is well nested"

# --send: multipart/alternative through the outbox
$A digest --now "$NOW" --send tech@shop.example >/dev/null 2>&1
ok $? "digest --send"
f=$(grep -l "^To: tech@shop.example" "$T"/sent/*.eml | head -1)
ok $([ -n "$f" ]; echo $?) "the digest was sent"
grep -q '^Content-Type: multipart/alternative' "$f"; ok $? "multipart/alternative"
grep -q '^Content-Type: text/plain; charset=utf-8' "$f"; ok $? "with a text part"
grep -q '^Content-Type: text/html; charset=utf-8' "$f"; ok $? "and an HTML part"
grep -q '^Subject: Digest Mon 23 Nov: 2 to call today' "$f"; ok $? "the subject counts the calls"

# [digest] to: --send without an address (the cron line and the timer)
sed 's/^\[digest\]$/[digest]\nto = team@shop.example/' "$T/conf" > "$T/conf2"
$A digest --now "$NOW" --send >/dev/null 2>"$T/err"
ok $([ $? -ne 0 ]; echo $?) "--send without an address and no [digest] to: refused"
grep -q '\[digest\] to' "$T/err"; ok $? "the error names [digest] to"
$A digest -c "$T/conf2" --now "$NOW" --send >/dev/null 2>&1
ok $? "digest --send with [digest] to"
f=$(grep -l "^To: team@shop.example" "$T"/sent/*.eml | head -1)
ok $([ -n "$f" ]; echo $?) "the digest went to [digest] to"
grep -q '^Content-Type: multipart/alternative' "$f"; ok $? "as the digest"
$A digest -c "$T/conf2" --now "$NOW" --send other@shop.example >/dev/null 2>&1
is "$(grep -l "^To: other@shop.example" "$T"/sent/*.eml | wc -l)" 1 "an address given wins"
# ... and hears of escalations when [notices] on_duty is not set
printf 'x\n' | $A notice send -c "$T/conf2" --now "2026-11-23 08:00" \
  --to carla@cedar.example --subject "Oven firmware" --deadline 1h >/dev/null
$A escalate -c "$T/conf2" -q --now "2026-11-23 09:30" 2>/dev/null
grep -l "^To: team@shop.example" "$T"/sent/*.eml | xargs grep -l '^Subject: Call them' > "$T/oncall"
is "$(wc -l < "$T/oncall" | tr -d ' ')" 1 "escalation mailed to [digest] to"
done_testing
