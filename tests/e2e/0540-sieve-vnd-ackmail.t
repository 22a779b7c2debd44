#!/bin/sh
# 0540-sieve-vnd-ackmail.t - the vnd.ackmail Sieve extension: rules test
# the support core's facts and put messages on issues (queue, tag, state);
# support actions keep the implicit keep; the shipped rules/default.sieve
# compiles.
. "$(dirname "$0")/lib.sh"

A="$ACKMAIL"
"$A" check -r "$ROOT/rules/default.sieve" > "$T/out" 2>&1
is $? 0 "ackmail check -r rules/default.sieve"

cat > "$T/rules.sieve" <<'SIEVE'
require ["vnd.ackmail", "fileinto", "variables", "mailbox", "copy"];
if ackmail_duplicate { fileinto :create "Dups"; stop; }
if ackmail_robot {
    fileinto :create "Robots/${ackmail.class}";
    ackmail_issue;
    stop;
}
if ackmail_customer :vip {
    ackmail_issue :queue "vip";
    ackmail_tag "gold";
} elsif ackmail_matched :how ["tag", "known-id"] {
    ackmail_issue;
    ackmail_tag "followup-${ackmail.issue}";
    ackmail_state "waiting";
} elsif header :contains "subject" "invoice" {
    ackmail_issue :queue "billing";
} else {
    ackmail_noissue;
}
if ackmail_class "human" { fileinto :copy :create "Class-${ackmail.class}"; }
SIEVE
cat > "$T/ackmail.conf" <<CONF
[database]
path = $T/db.sqlite
[deliver]
maildir = $T/Maildir
[rules]
path = $T/rules.sieve
[support]
address = support@shop.example
first_issue_number = 2001
secret = t
CONF
C="-c $T/ackmail.conf"
"$A" check $C > "$T/out" 2>&1
is $? 0 "a script using vnd.ackmail compiles"

# a script without require "vnd.ackmail" cannot use it
printf 'if ackmail_robot { keep; }\n' > "$T/bad.sieve"
"$A" check -r "$T/bad.sieve" > "$T/out" 2>&1
ok $(( $? == 0 )) "ackmail_robot without require is an error"
printf 'require "vnd.ackmail";\nackmail_state "sleeping";\n' > "$T/bad.sieve"
"$A" check -r "$T/bad.sieve" > "$T/out" 2>&1
ok $(( $? == 0 )) "ackmail_state with an unknown state is an error"

"$A" customer add "Vera Vip" --email vera@vip.example $C > /dev/null
"$A" customer edit vera@vip.example --vip $C > /dev/null

mail() { # mail FILE FROM SUBJECT MSGID [EXTRA-HEADER]
  { printf 'From: %s\nTo: support@shop.example\nSubject: %s\nMessage-ID: <%s>\n' "$2" "$3" "$4"
    [ -n "${5:-}" ] && printf '%s\n' "$5"
    printf 'Date: Mon, 04 Mar 2024 09:00:00 +0100\n\nHello.\n'; } > "$1"
}
deliver() { "$A" deliver $C -a support@shop.example < "$1"; }

mail "$T/1.eml" "Carl <carl@acme.example>" "Question about my invoice" "i1@acme.example"
deliver "$T/1.eml"
is $? 0 "deliver a human message"
"$A" issue list --json $C > "$T/issues"
grep -q '"number":2001.*"queue":"billing"' "$T/issues"
ok $? "ackmail_issue :queue opened issue 2001 in the queue"
ls "$T/Maildir/new" | wc -l | tr -d ' ' > "$T/n"
is "$(cat "$T/n")" 1 "support actions keep the implicit keep"
is "$(ls "$T/Maildir/.Class-human/new" 2>/dev/null | wc -l | tr -d ' ')" 1 \
  "\${ackmail.class} and ackmail_class \"human\""

mail "$T/2.eml" "Carl <carl@acme.example>" "Re: [#2001] Question about my invoice" "i2@acme.example" "In-Reply-To: <i1@acme.example>"
deliver "$T/2.eml"
"$A" issue list --json $C > "$T/issues"
is "$(wc -l < "$T/issues" | tr -d ' ')" 1 "a reply opens no new issue"
grep -q '"number":2001.*"state":"waiting"' "$T/issues"
ok $? "ackmail_matched :how, then ackmail_state waiting"
grep -q '"tags":\[[^]]*"followup-2001"' "$T/issues"
ok $? "ackmail_tag with \${ackmail.issue}"

mail "$T/3.eml" "Vera Vip <vera@vip.example>" "Please call me about the contract" "v1@vip.example"
deliver "$T/3.eml"
"$A" issue list --json $C > "$T/issues"
grep -q '"queue":"vip".*"tags":\["gold"\]' "$T/issues"
ok $? "ackmail_customer :vip: issue in queue vip tagged gold"

mail "$T/4.eml" "Dan <dan@other.example>" "Hello there" "d1@other.example"
deliver "$T/4.eml"
"$A" issue list --json $C > "$T/issues"
is "$(wc -l < "$T/issues" | tr -d ' ')" 2 "ackmail_noissue opens no issue (still 2)"
"$A" message list --json $C > "$T/msgs"
grep '"message_id":"d1@other.example"' "$T/msgs" | grep -q '"issue":null,.*"match_reason":"rule: no issue"'
ok $? "the message is recorded without an issue"

# an auto-reply about issue 2001: filed by class, attached, never opens one
mail "$T/5.eml" "Carl <carl@acme.example>" "Automatic reply: [#2001] Question about my invoice" "a1@acme.example" "Auto-Submitted: auto-replied"
deliver "$T/5.eml"
ls "$T/Maildir/.Robots.autoreply/new" 2>/dev/null | wc -l | tr -d ' ' > "$T/n"
is "$(cat "$T/n")" 1 "fileinto by \${ackmail.class}"
"$A" issue list --json $C > "$T/issues"
is "$(wc -l < "$T/issues" | tr -d ' ')" 2 "the robot opened no issue"
"$A" message list --json --issue 2001 $C > "$T/msgs"
is "$(wc -l < "$T/msgs" | tr -d ' ')" 3 "the robot is attached to issue 2001"

# the same Message-ID again: recorded once
deliver "$T/1.eml"
"$A" message list --json $C > "$T/msgs"
is "$(grep -c '"message_id":"i1@acme.example"' "$T/msgs")" 1 "recorded once"
is "$(ls "$T/Maildir/.Dups/new" 2>/dev/null | wc -l | tr -d ' ')" 1 "ackmail_duplicate is true for the second copy"

done_testing
