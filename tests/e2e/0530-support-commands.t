#!/bin/sh
# 0530-support-commands.t - ackmail customer / issue / message, and
# deliver with and without [support]: a plain LDA records nothing.
. "$(dirname "$0")/lib.sh"

cat > "$T/plain.conf" <<CONF
[deliver]
maildir = $T/PlainMaildir
CONF
cat > "$T/ackmail.conf" <<CONF
[database]
path = $T/db.sqlite
[deliver]
maildir = $T/Maildir
[support]
address = support@shop.example
staff = @shop.example
first_issue_number = 1001
secret = t
CONF
A="$ACKMAIL"
C="-c $T/ackmail.conf"

# a plain LDA: no [support], no database
HOME="$T/home" "$A" deliver -c "$T/plain.conf" < "$CORPUS/flanker/bounce__delayed.eml"
is $? 0 "without [support] deliver is a plain LDA"
is "$(ls "$T/PlainMaildir/new" | wc -l | tr -d ' ')" 1 "the message is in the Maildir"
[ ! -e "$T/home/.local/share/ackmail/ackmail.db" ]
ok $? "and no state database was created"

# the customer register
is "$("$A" customer add "Anna Berg" --company "Cedar Dental" --email anna@cedar.example --phone "+49 (0)30 1234-56" $C)" 1 "customer add prints the id"
printf 'name,company,email,phone,notes\n"Bo Chen",Fjord Legal,bo@fjord.example;bo@home.example,030 / 55 66,"likes ""tea"""\n' > "$T/c.csv"
"$A" customer import $C "$T/c.csv" > "$T/out"
is "$(cat "$T/out")" "1 added, 0 updated" "CSV import"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Virtanen;Mika;;;\r\nORG:Lumen;IT\r\nEMAIL;TYPE=work:mika@lumen.example\r\nTEL;TYPE=cell:+358 (40) 123\r\n 4567\r\nEND:VCARD\r\n' > "$T/m.vcf"
"$A" customer import $C "$T/m.vcf" > "$T/out"
is "$(cat "$T/out")" "1 added, 0 updated" "vCard import"
"$A" customer import $C "$T/m.vcf" > "$T/out"
is "$(cat "$T/out")" "0 added, 1 updated" "a second import updates"
"$A" customer list --json $C > "$T/cust"
is "$(wc -l < "$T/cust" | tr -d ' ')" 3 "customer list --json: one object a line"
grep -q '"phones":\["030 / 55 66"\]' "$T/cust"
ok $? "phone numbers kept as given (CSV)"
grep -q '"name":"Mika Virtanen".*"phones":\["+358 (40) 1234567"\]' "$T/cust"
ok $? "vCard name from N, folded TEL unfolded, kept as given"
"$A" customer edit bo@home.example --vip --domain fjord.example $C
is $? 0 "customer edit by address"
"$A" customer show 2 $C | grep -q "@fjord.example"
ok $? "customer show lists the new @domain"

# mail: a customer opens an issue, replies with quoted history
cat > "$T/m1.eml" <<'MSG'
From: Anna Berg <anna@cedar.example>
To: support@shop.example
Subject: Printer on 2nd floor jams
Message-ID: <m1@cedar.example>
Date: Mon, 04 Mar 2024 09:00:00 +0100

The printer jams all the time.
MSG
cat > "$T/m2.eml" <<'MSG'
From: Anna Berg <anna@cedar.example>
To: support@shop.example
Subject: Re: [#1001] Printer on 2nd floor jams
Message-ID: <m2@cedar.example>
In-Reply-To: <m1@cedar.example>
Date: Mon, 04 Mar 2024 10:00:00 +0100

It works again, thanks!

On Mon, 4 Mar 2024 at 09:00, Jane <jane@shop.example> wrote:
> We replaced the fuser.
> Regards
MSG
ACKMAIL_NOW=2024-03-04T08:00:00Z "$A" deliver $C -a support@shop.example < "$T/m1.eml"
is $? 0 "deliver with [support]"
ACKMAIL_NOW=2024-03-04T09:00:00Z "$A" deliver $C -a support@shop.example < "$T/m2.eml"
"$A" issue list --json $C > "$T/issues"
is "$(wc -l < "$T/issues" | tr -d ' ')" 1 "one issue"
grep -q '"number":1001,"state":"open","subject":"Printer on 2nd floor jams","customer_id":1,"customer":"Anna Berg","company":"Cedar Dental"' "$T/issues"
ok $? "issue list --json: number, state, subject, customer"
grep -q '"opened_at":"2024-03-04T08:00:00Z"' "$T/issues"
ok $? "ACKMAIL_NOW is the clock"
"$A" issue show 1001 $C > "$T/show"
grep -q "It works again, thanks!" "$T/show"
ok $? "issue show prints the new text"
grep -q "We replaced the fuser" "$T/show"
ok $((1 - $?)) "and not the quoted history"
"$A" message list --issue 1001 --json $C > "$T/msgs"
is "$(wc -l < "$T/msgs" | tr -d ' ')" 2 "message list --issue: both messages"
grep -q '"message_id":"m2@cedar.example","direction":"in","class":"human","issue":1001,"customer_id":1' "$T/msgs"
ok $? "message list --json: id, direction, class, issue, customer"
grep -q '"match_reason":"known-id: <m1@cedar.example>"' "$T/msgs"
ok $? "and why it was matched"

# set, close, reopen
"$A" issue set 1001 --state waiting --queue hardware --tag printer $C
"$A" issue list --json --state waiting $C | grep -q '"queue":"hardware".*"tags":\["printer"\]'
ok $? "issue set: state, queue, tag"
ACKMAIL_NOW=2024-03-05T08:00:00Z "$A" issue close 1001 $C
"$A" issue list --json --state closed $C | grep -q '"closed_at":"2024-03-05T08:00:00Z"'
ok $? "issue close"
"$A" issue reopen 1001 $C
"$A" issue list --json --state open $C | grep -q '"number":1001'
ok $? "issue reopen"
"$A" issue show 999 $C 2>/dev/null
is $? 65 "issue show of an unknown issue exits 65"
"$A" issue frob 1 $C 2>/dev/null
is $? 64 "an unknown issue command exits 64"
done_testing
