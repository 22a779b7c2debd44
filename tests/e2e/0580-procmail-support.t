#!/bin/sh
# 0580-procmail-support.t - the procmailrc form of the support extension
# (ACKMAIL_* variables, ackmail-rules(5)): a procmailrc and the equivalent
# Sieve script run over the same support messages, each into its own
# database and SMTP sink, give the same issues, states, tags, queues,
# message assignments and acknowledgements; robots never open issues even
# when the rc says ACKMAIL=issue; ACKMAIL_TICKET maps a vendor's case
# number to its issue. The shipped rules/default.procmailrc and the
# procmailrc examples compile, and default.procmailrc does what the
# built-in standard flow does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
A="$ACKMAIL"
export ACKMAIL_NOW=2026-03-02T09:00:00Z

for f in "$ROOT/rules/default.procmailrc" "$ROOT"/rules/examples/*.procmailrc; do
  "$A" check -r "$f" > "$T/out" 2>&1
  is $? 0 "ackmail check -r ${f#"$ROOT"/}"
done

cat > "$T/rules.sieve" <<'SIEVE'
require ["vnd.ackmail", "variables"];
ackmail_ticket :system "vendor" "Case #?([0-9]{8})";
if ackmail_duplicate { keep; stop; }
if ackmail_tracking { ackmail_issue; ackmail_notice; stop; }
if ackmail_customer :vip {
    ackmail_issue :queue "vip";
    ackmail_tag "gold";
    ackmail_acknowledge;
    stop;
}
if ackmail_matched {
    ackmail_issue;
    ackmail_tag "followup-${ackmail.issue}";
    if not ackmail_robot { ackmail_state "waiting"; }
    stop;
}
if ackmail_class "spam" { ackmail_noissue; stop; }
ackmail_issue;
if not anyof (ackmail_robot, ackmail_staff) { ackmail_acknowledge; }
SIEVE
cat > "$T/rules.procmailrc" <<'RC'
ACKMAIL_TICKET_SYSTEM=vendor
ACKMAIL_TICKET="Case #?([0-9]{8})"

:0
* ACKMAIL_DUPLICATE ?? yes
{ }

:0 E
* ACKMAIL_TRACKING ?? yes
{ ACKMAIL="issue notice" }

:0 E
* ACKMAIL_VIP ?? yes
{
  ACKMAIL="issue acknowledge"
  ACKMAIL_TAG=gold
}

:0 E
* ACKMAIL_MATCH ?? .
{
  ACKMAIL=issue
  ACKMAIL_TAG=followup-$ACKMAIL_ISSUE

  :0
  * ! ACKMAIL_ROBOT ?? yes
  { ACKMAIL_STATE=waiting }
}

:0 E
* ACKMAIL_CLASS ?? ^^spam^^
{ ACKMAIL=noissue }

:0 E
{
  # robots too: they never open an issue, whatever the rc says
  ACKMAIL=issue

  :0
  * ! ACKMAIL_ROBOT ?? yes
  * ! ACKMAIL_STAFF ?? yes
  { ACKMAIL=acknowledge }
}

# assigned late on purpose: the last value goes with ACKMAIL=issue
:0
* ACKMAIL_VIP ?? yes
{ ACKMAIL_QUEUE=vip }
RC

setup() { # NAME RULES [PORT]
  mkdir -p "$T/$1"
  sink_start "$T/$1/sink"
  cat > "$T/$1/conf" <<CONF
[database]
path = $T/$1/db
[deliver]
maildir = $T/$1/Maildir
$([ -n "$2" ] && printf '[rules]\npath = %s' "$2")
[support]
address = support@shop.example
staff = tech@shop.example
tracking_address = track@shop.example
first_issue_number = 2001
secret = t
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
CONF
  "$A" customer add "Vera Vip" --email vera@vip.example -c "$T/$1/conf" > /dev/null
  "$A" customer edit vera@vip.example --vip -c "$T/$1/conf" > /dev/null
  "$A" customer add "Carl Acme" --email carl@acme.example -c "$T/$1/conf" > /dev/null
}
setup sieve "$T/rules.sieve"
setup procmail "$T/rules.procmailrc"
setup default "$ROOT/rules/default.procmailrc"
setup builtin ""

mail() { # NAME FROM SUBJECT MSGID [EXTRA-HEADER [BODY]]
  { printf 'From: %s\nTo: support@shop.example\nSubject: %s\nMessage-ID: <%s>\n' "$2" "$3" "$4"
    [ -n "${5:-}" ] && printf '%s\n' "$5"
    printf 'Date: Mon, 02 Mar 2026 09:00:00 +0100\n\n%s\n' "${6:-Hello.}"; } > "$T/$1.eml"
}
mail 01 "Carl <carl@acme.example>" "Printer on fire" "c1@acme.example"
mail 02 "Carl <carl@acme.example>" "Re: [#2001] Printer on fire" "c2@acme.example" "In-Reply-To: <c1@acme.example>"
mail 03 "Carl <carl@acme.example>" "Automatic reply: [#2001] Printer on fire" "c3@acme.example" "Auto-Submitted: auto-replied"
mail 04 "Otto <otto@elsewhere.example>" "Out of office" "o1@elsewhere.example" "Auto-Submitted: auto-replied"
mail 05 "Mail Delivery System <MAILER-DAEMON@mx.example>" "Undelivered Mail Returned to Sender" "b1@mx.example" "X-Failed-Recipients: nobody@acme.example"
mail 06 "Tech <tech@shop.example>" "[#2001] Printer on fire, vendor Case #01234567" "t1@shop.example" "" "Escalated to the vendor."
mail 07 "Vendor Support <help@vendor.example>" "Case #01234567: replacement part shipped" "v1@vendor.example" "" "The part ships today."
mail 08 "Vera Vip <vera@vip.example>" "Please call me" "vip1@vip.example"
mail 09 "Dora <dora@new.example>" "Cannot log in" "d1@new.example"
mail 10 "Spammer <win@prize.example>" "You won" "s1@prize.example" "X-Spam-Flag: YES"
cp "$T/01.eml" "$T/11.eml"
# a technician's change notice to Carl, Bcc'd to the tracking address
{ printf 'From: Tech <tech@shop.example>\nTo: Carl <carl@acme.example>\n'
  printf 'Subject: [#2001] New printer arrives tomorrow\nMessage-ID: <n1@shop.example>\n'
  printf 'Date: Mon, 02 Mar 2026 10:00:00 +0100\n\nPlease be there.\ndeadline: 4h\n'; } > "$T/12.eml"

for setup in sieve procmail default builtin; do
  for m in 01 06 07 02 03 04 05 08 09 10 11; do
    "$A" deliver -c "$T/$setup/conf" -a support@shop.example < "$T/$m.eml" \
      2>> "$T/$setup/err"
  done
  "$A" deliver -c "$T/$setup/conf" -f tech@shop.example -a track@shop.example \
    < "$T/12.eml" 2>> "$T/$setup/err"
  "$A" notice list --json -c "$T/$setup/conf" |
    sed -E 's/"(id|created_at|updated_at)":[^,]*,//g' > "$T/$setup/notices"
  "$A" outbox flush -c "$T/$setup/conf" > /dev/null 2>&1
  "$A" issue list --json -c "$T/$setup/conf" > "$T/$setup/issues"
  # the incoming messages: id, class, issue, how matched
  "$A" message list --json -c "$T/$setup/conf" | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("direction") == "in":
        print(m["message_id"], m.get("class"), m.get("issue"), m.get("match_reason"))
' | sort > "$T/$setup/msgs"
  # the acknowledgements: to whom, which subject
  for e in "$T/$setup/sink"/*.eml; do
    [ -f "$e" ] || continue
    printf '%s %s\n' "$(sed -n 2p "${e%.eml}.env")" "$(grep -m1 '^Subject:' "$e")"
  done | sort > "$T/$setup/acks"
done
diag "procmail stderr: $(cat "$T/procmail/err")"

is "$(cat "$T/procmail/issues")" "$(cat "$T/sieve/issues")" \
  "the same issues (numbers, states, queues, tags) from both languages"
is "$(cat "$T/procmail/msgs")" "$(cat "$T/sieve/msgs")" \
  "every message on the same issue, matched the same way"
is "$(cat "$T/procmail/acks")" "$(cat "$T/sieve/acks")" \
  "the same acknowledgements"
is "$(cat "$T/procmail/notices")" "$(cat "$T/sieve/notices")" \
  "the same notices tracked"
grep -q 'n1@shop.example' "$T/procmail/notices"
ok $? "ACKMAIL=notice: the Bcc to the tracking address is tracked"
diag "issues:"; while IFS= read -r l; do diag "$l"; done < "$T/procmail/issues"
diag "messages:"; while IFS= read -r l; do diag "$l"; done < "$T/procmail/msgs"
diag "acks:"; while IFS= read -r l; do diag "$l"; done < "$T/procmail/acks"

I=$T/procmail/issues
is "$(wc -l < "$I" | tr -d ' ')" 3 "three issues: Carl's, Vera's, Dora's"
grep -q '"number":2001.*"state":"waiting"' "$I"; ok $? "ACKMAIL_STATE=waiting on the reply"
grep -q '"number":2001.*"followup-2001"' "$I"; ok $? "ACKMAIL_TAG with \$ACKMAIL_ISSUE"
grep '"queue":"vip"' "$I" | grep -q '"gold"'; ok $? "a late ACKMAIL_QUEUE=vip and ACKMAIL_TAG=gold on Vera's issue"
M=$T/procmail/msgs
grep -q '^c3@acme.example autoreply 2001 ' "$M"; ok $? "Carl's auto-reply attached to 2001"
grep -q '^o1@elsewhere.example autoreply None ' "$M"; ok $? "an unknown robot opens no issue (ACKMAIL=issue notwithstanding)"
grep -q '^b1@mx.example bounce None ' "$M"; ok $? "a bounce opens no issue"
grep -q '^v1@vendor.example human 2001 ' "$M"; ok $? "ACKMAIL_TICKET: the vendor's case number finds issue 2001"
grep -q '^s1@prize.example spam None rule: no issue' "$M"; ok $? "ACKMAIL=noissue"
is "$(grep -c '^c1@acme.example ' "$M")" 1 "the duplicate is recorded once"
K=$T/procmail/acks
is "$(grep -c '^carl@\|^vera@\|^dora@' "$K")" 3 "one acknowledgement for each new issue"
is "$(wc -l < "$K" | tr -d ' ')" 3 "and no other (the vendor's matched reply is not answered)"
grep -q '^vera@vip.example Subject: \[#' "$K"; ok $? "Vera is acknowledged"
is "$(grep -ci 'otto\|mailer-daemon\|tech@' "$K")" 0 "no robot or staff hears back"

# the shipped default.procmailrc does what the built-in standard flow does
is "$(cat "$T/default/issues")" "$(cat "$T/builtin/issues")" \
  "default.procmailrc: the same issues as the built-in flow"
is "$(cat "$T/default/msgs")" "$(cat "$T/builtin/msgs")" \
  "default.procmailrc: the same message assignments"
is "$(cat "$T/default/acks")" "$(cat "$T/builtin/acks")" \
  "default.procmailrc: the same acknowledgements"
is "$(cat "$T/default/notices")" "$(cat "$T/builtin/notices")" \
  "default.procmailrc: the same notices"

# the messages were delivered too, as procmail delivers (DEFAULT)
is "$(ls "$T/procmail/Maildir/new" | wc -l | tr -d ' ')" 12 "every message delivered to DEFAULT"

# ACKMAIL_TEMPLATE / ACKMAIL_LANGUAGE go with ACKMAIL=acknowledge
printf 'ACKMAIL=acknowledge\nACKMAIL_LANGUAGE=de\nACKMAIL_TEMPLATE=ack\nACKMAIL_STATE=sleeping\nACKMAIL=frobnicate\n' > "$T/lang.rc"
"$A" check -c "$T/procmail/conf" -r "$T/lang.rc" "$T/09.eml" > "$T/out" 2>&1
grep -q '"op":"acknowledge","template":"ack","lang":"de"' "$T/out"
ok $? "ACKMAIL_LANGUAGE and ACKMAIL_TEMPLATE assigned after ACKMAIL=acknowledge"
printf 'ACKMAIL=acknowledge\nACKMAIL_ALWAYS=yes\nACKMAIL_STATE=resolved\nACKMAIL_NOTE="new toner"\nACKMAIL_LANGUAGE=de\n' > "$T/tags.rc"
"$A" check -c "$T/procmail/conf" -r "$T/tags.rc" "$T/09.eml" > "$T/out2" 2>&1
grep -q '"op":"acknowledge","always":"1","lang":"de"' "$T/out2"
ok $? "ACKMAIL_ALWAYS is :always"
grep -q '"op":"state","state":"resolved","lang":"de","note":"new toner"' "$T/out2"
ok $? "ACKMAIL_NOTE and ACKMAIL_LANGUAGE go with ACKMAIL_STATE"
grep -q 'ACKMAIL_STATE: expected open' "$T/out"; ok $? "a bad ACKMAIL_STATE is reported"
grep -q "ACKMAIL: expected issue.*'frobnicate'" "$T/out"; ok $? "a bad ACKMAIL word is reported"
is "$(grep -c '"op":"state"' "$T/out")" 0 "and adds no operation"
done_testing
