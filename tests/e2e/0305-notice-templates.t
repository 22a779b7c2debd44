#!/bin/sh
# 0305-notice-templates.t - reminders and on-duty mails come from the
# templates [notices] reminder_template and on_duty_template (in [notices]
# lang) and reach the SMTP server with the right text and headers; a
# missing or broken template is caught by `ackmail check`, and at run time
# logged while the built-in text still goes out: no escalation is lost.
# notice send --template keeps the body's lines and picks [notices] lang.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
A=$ACKMAIL
sink_start "$T/sink"
mkdir -p "$T/tpl"
cp "$ROOT"/rules/templates/*.txt "$T/tpl/"
cat > "$T/tpl/myreminder.en.txt" <<'EOF'
Subject: Still waiting: {{subject}}

Dear {{customer_name}} of {{company}} ({{customer_email}}),
notice {{notice}} of issue {{issue}}, sent {{sent_at}}: "{{subject}}".
Answer by {{deadline}}; change at {{change_at|none}}.
We would call {{phones}}.
-- {{support_name}}, {{support_phone}}
EOF
cat > "$T/tpl/mycall.en.txt" <<'EOF'
Subject: Phone now: {{customers}} [{{count}}]

{{count}} to call:

{{notices}}

end of list ({{support_name}})
EOF
cat > "$T/tpl/mycall-item.en.txt" <<'EOF'
* {{customer}} / {{customer_name}} / {{company}}
  dial {{phones}}
  notice {{notice}} (issue {{issue|none}}): {{subject}}
  because {{reason}}; sent {{sent_at}}; due {{deadline}}; change {{change_at|none}}
TEOF_NEVER
EOF
sed -i '/TEOF_NEVER/d' "$T/tpl/mycall-item.en.txt"
cat > "$T/conf" <<EOF
[database]
path = $T/db
[support]
address = support@shop.example
name = Shop IT
phone = +49 30 555 0100
staff = @shop.example
timezone = Europe/Berlin
secret = templates-test
[ack]
enabled = no
template_dir = $T/tpl
[notices]
deadline = 48h
reminder = 6h
on_duty = oncall@shop.example, lead@shop.example
reminder_template = myreminder
on_duty_template = mycall
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
EOF
export ACKMAIL_CONFIG="$T/conf"
json_field() { python3 -c "import json,sys; v=json.loads(sys.stdin.readline())['$1']; print('' if v is None else v)"; }
hdr() { # FILE HEADER: its (unfolded) value
  python3 -c 'import email,sys; v=email.message_from_binary_file(open(sys.argv[1],"rb"))[sys.argv[2]]; print("" if v is None else str(v).strip())' "$1" "$2"
}
body() { # FILE: the decoded text body
  python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); sys.stdout.write(m.get_payload(decode=True).decode().rstrip("\n")+"\n")' "$1"
}
signed='^ackmail\.[0-9][0-9]*\.[a-z]*\.[0-9a-f]*\.[0-9a-f]\{20\}@'

$A check >"$T/check" 2>&1
ok $? "ackmail check accepts the custom reminder and on-duty templates"
# the old [notices] template key never did anything: accepted, with a warning
sed 's/^\[notices\]$/[notices]\ntemplate = notice/' "$T/conf" > "$T/conf-old"
$A check -c "$T/conf-old" >"$T/check" 2>&1
ok $? "an old configuration with [notices] template still passes"
grep -q '\[notices\] template is obsolete' "$T/check"; ok $? "with a warning"

$A customer add "Anna Adams" --company "Acme Dental" --email anna@acme.example \
   --phone "+49 30 1234567" --phone "+49 171 2345678" >/dev/null
printf 'We will replace the UPS batteries.\n' |
  $A notice send --now "2026-11-23 09:00" --to anna@acme.example \
     --subject "UPS maintenance" --issue 1042 --change-at "2026-11-28 09:00" >/dev/null
ok $? "notice sent"
is "$(sink_count "$T/sink")" 1 "the notice reached the SMTP server"
nmid=$(hdr "$T/sink/000001.eml" Message-ID | tr -d '<>')

# ---- the reminder, from myreminder.en.txt
$A escalate -q --now "2026-11-25 03:00" 2>"$T/err1"
is "$(sink_count "$T/sink")" 2 "the reminder reached the SMTP server"
r=$T/sink/000002.eml
is "$(sed -n 2p "$T/sink/000002.env")" "anna@acme.example" "to the customer"
is "$(hdr "$r" Subject)" "Still waiting: [#1042] UPS maintenance" "the template's subject, with the notice's (tagged) subject"
body "$r" > "$T/rbody"
grep -qx 'Dear Anna Adams of Acme Dental (anna@acme.example),' "$T/rbody"; ok $? "customer name, company and address"
grep -qx 'notice 1 of issue 1042, sent Monday 23 November 2026, 09:00 CET: "\[#1042\] UPS maintenance".' "$T/rbody"
ok $? "notice, issue, sent time and subject"
grep -qx 'Answer by Wednesday 25 November 2026, 09:00 CET; change at Saturday 28 November 2026, 09:00 CET.' "$T/rbody"
ok $? "deadline and change time in the desk's zone"
grep -qx 'We would call +49 30 1234567, +49 171 2345678.' "$T/rbody"; ok $? "the phone numbers"
grep -qx -- '-- Shop IT, +49 30 555 0100' "$T/rbody"; ok $? "support name and phone"
is "$(hdr "$r" In-Reply-To | tr -d '<>')" "$nmid" "In-Reply-To: the notice"
hdr "$r" Message-ID | tr -d '<>' | grep -q "$signed"; ok $? "a signed Message-ID"
is "$(hdr "$r" Auto-Submitted)" "" "no Auto-Submitted (an out-of-office reply must come back)"
is "$(hdr "$r" To)" "anna@acme.example" "To: the customer"
$A notice show 1 --json | grep -q '"note":"reminder sent"'; ok $? "the reminder is in the history"

# ---- the on-duty mail, from mycall.en.txt and mycall-item.en.txt
$A escalate -q --now "2026-11-25 09:00" 2>"$T/err2"
is "$(sink_count "$T/sink")" 3 "the on-duty mail reached the SMTP server"
o=$T/sink/000003.eml
is "$(sed -n '2,$p' "$T/sink/000003.env" | tr '\n' ' ')" "oncall@shop.example lead@shop.example " \
   "to every on_duty address"
is "$(hdr "$o" To)" "oncall@shop.example, lead@shop.example" "To: names them"
is "$(hdr "$o" Subject)" "Phone now: Anna Adams (Acme Dental) [1]" "the template's subject: who to call, how many"
body "$o" > "$T/obody"
cat > "$T/oexpect" <<'EOF'
1 to call:

* Anna Adams (Acme Dental) / Anna Adams / Acme Dental
  dial +49 30 1234567, +49 171 2345678
  notice 1 (issue 1042): [#1042] UPS maintenance
  because no reply in 48 h; sent Monday 23 November 2026, 09:00 CET; due Wednesday 25 November 2026, 09:00 CET; change Saturday 28 November 2026, 09:00 CET

end of list (Shop IT)
EOF
diff "$T/oexpect" "$T/obody" >"$T/odiff"; ok $? "the on-duty text, item by item"
[ $? -eq 0 ] || sed 's/^/# /' "$T/odiff"
hdr "$o" Message-ID | tr -d '<>' | grep -q "$signed"; ok $? "a signed Message-ID"
is "$(hdr "$o" Auto-Submitted)" "" "no Auto-Submitted, as docs/notices.md says of mail about notices"
grep -q 'built-in' "$T/err1" "$T/err2"; ok $([ $? -ne 0 ]; echo $?) "no fallback logged while the templates render"

# ---- several notices in one run: one mail, the items one after another
for who in bob carla; do
  printf 'x\n' | $A notice send --now "2026-11-25 10:00" --to $who@bee.example \
    --subject "Switch $who" --deadline 1h >/dev/null
done
$A escalate -q --now "2026-11-25 12:00" 2>/dev/null
is "$(sink_count "$T/sink")" 6 "two notices, one on-duty mail"
o=$T/sink/000006.eml
is "$(hdr "$o" Subject)" "Phone now: bob@bee.example, carla@bee.example [2]" "both named in the subject"
is "$(body "$o" | grep -c '^\* ')" 2 "both listed"
body "$o" | grep -B1 '^\* carla' | head -1 | grep -qx ''; ok $? "an empty line between the items"

# ---- a broken item template: check says so; the escalation still goes out
printf '* {{customer}} {{no_such_variable}}\n  {{oops\n' > "$T/tpl/mycall-item.en.txt"
$A check >"$T/check" 2>&1
ok $([ $? -ne 0 ]; echo $?) "ackmail check fails on the broken on-duty item template"
grep -q 'mycall-item.en.txt: .*unknown variable' "$T/check"; ok $? "naming the file and the variable"
printf 'x\n' | $A notice send --now "2026-11-25 10:00" --to dora@delta.example \
  --subject "Router" --deadline 1h >/dev/null
$A escalate -q --now "2026-11-25 13:00" 2>"$T/err3"
is "$(sink_count "$T/sink")" 8 "the escalation is mailed all the same"
o=$T/sink/000008.eml
is "$(hdr "$o" Subject)" "Call them: 1 unanswered change notice" "with the built-in subject"
body "$o" | grep -q 'dora@delta.example'; ok $? "and the built-in text naming the customer"
grep -q 'mycall-item.*built-in text' "$T/err3"; ok $? "the fallback is logged"

# ---- a reminder template the configuration names but that is gone
cp "$ROOT/rules/templates/on-duty-item.en.txt" "$T/tpl/mycall-item.en.txt"
sed -i 's/^reminder_template = .*/reminder_template = gone/' "$T/conf"
$A check >"$T/check" 2>&1
ok $([ $? -ne 0 ]; echo $?) "ackmail check fails on a missing reminder template"
grep -q '\[notices\] reminder_template: no template gone' "$T/check"; ok $? "naming the setting"
printf 'x\n' | $A notice send --now "2026-11-26 09:00" --to erik@elm.example \
  --subject "Backup move" >/dev/null
$A escalate -q --now "2026-11-28 03:00" 2>"$T/err4"
is "$(sink_count "$T/sink")" 10 "the reminder still goes out"
r=$T/sink/000010.eml
is "$(hdr "$r" Subject)" "Reminder: Backup move" "the built-in reminder"
body "$r" | grep -q 'we will call you'; ok $? "with the built-in text"
grep -q 'reminder for notice #.*gone.*built-in text' "$T/err4"; ok $? "the fallback is logged"

# ---- the shipped templates, in German; a notice body keeps its lines
rm "$T"/tpl/my*.txt
sed -i -e '/^reminder_template/d' -e '/^on_duty_template/d' \
  -e 's/^\[notices\]$/[notices]\nlang = de/' "$T/conf"
$A check >"$T/check" 2>&1; ok $? "ackmail check accepts the shipped templates ($(tr '\n' ' ' < "$T/check"))"
printf 'Am Samstag tauschen wir die USV.\n\nDer Strom ist von 9 bis 10 Uhr weg.\n' |
  $A notice send --now "2026-11-30 09:00" --to anna@acme.example --template notice \
    --subject "USV-Wartung" --change-at "2026-12-05 09:00" >/dev/null
n=$T/sink/000011.eml
body "$n" > "$T/nbody"
grep -qx 'Guten Tag Anna Adams,' "$T/nbody"; ok $? "[notices] lang picks notice.de.txt"
grep -qx 'Am Samstag tauschen wir die USV.' "$T/nbody" &&
  grep -qx 'Der Strom ist von 9 bis 10 Uhr weg.' "$T/nbody"
ok $? "the body keeps its lines"
grep -qx 'Geplante Änderung: Samstag, 05.12.2026, 09:00 CET' "$T/nbody"; ok $? "a German date"
$A escalate -q --now "2026-12-02 03:00" 2>/dev/null
r=$(grep -l '^Subject: Erinnerung' "$T"/sink/*.eml | tail -1)
is "$(hdr "$r" Subject)" "Erinnerung: USV-Wartung" "the German reminder (reminder.de.txt)"
body "$r" | grep -q 'rufen wir Sie an'; ok $? "its text"
$A escalate -q --now "2026-12-02 10:00" 2>/dev/null
o=$(grep -l '^Subject: Bitte anrufen' "$T"/sink/*.eml | tail -1)
ok $([ -n "$o" ]; echo $?) "the German on-duty mail (on-duty.de.txt)"
body "$o" | grep -q 'Telefon: +49 30 1234567, +49 171 2345678'; ok $? "its items (on-duty-item.de.txt)"
# a language that cannot name a template file
sed -i 's/^lang = de$/lang = ..\/de/' "$T/conf"
$A check >"$T/check" 2>&1
ok $([ $? -ne 0 ]; echo $?) "ackmail check fails on a bad [notices] lang"
grep -q '^\[notices\] lang: ' "$T/check"; ok $? "naming the setting"
done_testing
