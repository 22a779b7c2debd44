#!/bin/sh
# 0570-support-notice-reply.t - a customer's reply to a change notice is
# an answer, not a new request (as the support-stream ground truth has
# it: replies to notices are on the notice's issue and are no new
# issues). The standard flow ends the notice and: for a notice about an
# issue, puts the reply on that issue; for a notice on no issue, records
# the reply on no issue and does not acknowledge it. A shop that wants an
# issue for those replies says so in its rules (ackmail_notice_reply,
# ${ackmail.notice}).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
sink_start "$T/sink"
cat > "$T/conf" <<CONF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[support]
address = support@desk.example
staff = @desk.example
tracking_address = notices@desk.example
secret = notice-reply
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $SINK_PORT
CONF
export ACKMAIL_CONFIG=$T/conf
"$ACKMAIL" customer add "Sam Okafor" --email sam@greenway.example > /dev/null

notice() { # notice SUBJECT MSGID: a technician's notice, Bcc'd to tracking
  printf 'From: Maria <maria@desk.example>\nTo: Sam Okafor <sam@greenway.example>\nSubject: %s\nMessage-ID: <%s>\n\nWe will reboot your mail server on Saturday 09:00.\n' "$1" "$2" |
    "$ACKMAIL" deliver -f maria@desk.example -a notices@desk.example
}
reply() { # reply SUBJECT MSGID IN-REPLY-TO [TEXT]
  printf 'From: Sam Okafor <sam@greenway.example>\nTo: support@desk.example\nSubject: %s\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nReferences: <%s>\n\n%s\n\n> We will reboot your mail server\n' \
    "$1" "$2" "$3" "$3" "${4:-Saturday 09:00 is fine.}" |
    "$ACKMAIL" deliver -f sam@greenway.example -a support@desk.example
}
notice_state() { # notice_state N
  "$ACKMAIL" notice list | awk -v n="$1" '$1 == n { print $2 }'
}

# 1. a notice on no issue (no [#N]): the reply opens nothing, is not
# acknowledged, ends the notice
export ACKMAIL_NOW=2026-11-09T09:00:00Z
notice "Planned maintenance: mail server reboot" n1@desk.example
is "$(notice_state 1)" waiting "the notice is tracked"
export ACKMAIL_NOW=2026-11-09T13:00:00Z
reply "Re: Planned maintenance: mail server reboot" r1@greenway.example n1@desk.example
is "$("$ACKMAIL" issue list | wc -l | tr -d ' ')" 0 "the reply to a notice on no issue opens no issue"
is "$(sink_count "$T/sink")" 0 "and is not acknowledged"
is "$(notice_state 1)" acknowledged "the reply ends the notice"
"$ACKMAIL" message list --json > "$T/msgs"
grep '"message_id":"r1@greenway.example"' "$T/msgs" |
  grep -q '"issue":null,.*"match_reason":"rule: no issue; notice: a reply to change notice 1, which is on no issue"'
ok $? "recorded on no issue, and why"
is "$(ls "$T/Maildir/new" | wc -l | tr -d ' ')" 2 "both are in the mailbox"

# 2. a notice about an issue: the reply joins the issue, even with the tag
# gone from the subject; a follow-up, so no acknowledgement
export ACKMAIL_NOW=2026-11-10T09:00:00Z
printf 'From: Sam Okafor <sam@greenway.example>\nTo: support@desk.example\nSubject: Backup failed\nMessage-ID: <b1@greenway.example>\n\nThe backup failed.\n' |
  "$ACKMAIL" deliver -f sam@greenway.example -a support@desk.example
is "$(sink_count "$T/sink")" 1 "the new issue is acknowledged"
notice "[#1001] Change notice: new backup disk" n2@desk.example
is "$(notice_state 2)" waiting "the notice about #1001 is tracked"
export ACKMAIL_NOW=2026-11-10T15:00:00Z
reply "Re: Change notice: new backup disk" r2@greenway.example n2@desk.example "Can we move this to Thursday?"
"$ACKMAIL" message list --issue 1001 --json > "$T/msgs"
grep -q '"message_id":"r2@greenway.example"' "$T/msgs"; ok $? "the reply joins the notice's issue #1001"
is "$("$ACKMAIL" issue list | wc -l | tr -d ' ')" 1 "no new issue"
is "$(sink_count "$T/sink")" 1 "a follow-up: not acknowledged"
# a question is no acknowledgement (the ground truth's reply_question
# acks no notice): the notice keeps waiting, the question in its history
is "$(notice_state 2)" waiting "a question does not end the notice"
"$ACKMAIL" notice show 2 | grep -q "question from sam@greenway.example"
ok $? "the question is in the notice's history"

# a question about a notice on no issue: no issue either; the notice
# keeps waiting with the question, so it reaches the call list at its
# deadline (nothing is lost)
export ACKMAIL_NOW=2026-11-10T16:00:00Z
notice "Planned maintenance: switch replacement" n4@desk.example
reply "Re: Planned maintenance: switch replacement" r4@greenway.example n4@desk.example "Can we move this to Thursday?"
is "$("$ACKMAIL" issue list | wc -l | tr -d ' ')" 1 "a question to a notice on no issue opens no issue"
is "$(notice_state 3)" waiting "the notice keeps waiting"
"$ACKMAIL" notice show 3 | grep -q "question from sam@greenway.example"
ok $? "with the question in its history"

# 3. a shop's own rules can open an issue for such replies
cat > "$T/rules.sieve" <<'SIEVE'
require ["vnd.ackmail", "fileinto", "variables", "mailbox"];
if ackmail_robot { ackmail_issue; stop; }
if ackmail_tracking { ackmail_issue; ackmail_notice; stop; }
if ackmail_staff { ackmail_issue; stop; }
if ackmail_notice_reply { fileinto :create "Notice-${ackmail.notice}"; }
ackmail_issue;
ackmail_acknowledge;
SIEVE
printf '[rules]\npath = %s\n' "$T/rules.sieve" >> "$T/conf"
export ACKMAIL_NOW=2026-11-11T09:00:00Z
notice "Planned maintenance: firewall update" n3@desk.example
reply "Re: Planned maintenance: firewall update" r3@greenway.example n3@desk.example
is "$(ls "$T/Maildir/.Notice-4/new" 2>/dev/null | wc -l | tr -d ' ')" 1 \
  "ackmail_notice_reply and \${ackmail.notice}"
is "$("$ACKMAIL" issue list | wc -l | tr -d ' ')" 2 "these rules open an issue for it"
is "$(sink_count "$T/sink")" 2 "and acknowledge it"
done_testing
