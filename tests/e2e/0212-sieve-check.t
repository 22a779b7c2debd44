#!/bin/sh
# ackmail check -r on Sieve scripts: exit codes, every error in one run
# as file:line:col, actions as JSON lines.
. "$(dirname "$0")/lib.sh"
plan 10
cat > "$T/ok.sieve" <<'S'
require ["fileinto", "imap4flags"];
if header :contains "subject" "invoice" { addflag "\\Seen"; fileinto "Billing"; }
S
"$ACKMAIL" check -r "$T/ok.sieve" >"$T/out" 2>&1
ok $? "a clean script exits 0"
cat > "$T/bad.sieve" <<'S'
require ["fileinto", "nosuchext"];
if header :contains "subject" { keep; }
frobnicate;
fileinto "x"
S
"$ACKMAIL" check -r "$T/bad.sieve" >"$T/out" 2>&1
is "$?" 65 "a broken script exits 65"
grep -q "bad.sieve:1:.*: error: require: unknown Sieve capability 'nosuchext'" "$T/out"
ok $? "unknown require names the extension"
grep -q "bad.sieve:3:1: error: unknown command 'frobnicate'" "$T/out"
ok $? "unknown command with line and column"
grep -q "bad.sieve:2:4: error:" "$T/out"
ok $? "missing argument reported"
grep -q "bad.sieve:5:1: error: syntax error" "$T/out"
ok $? "missing semicolon reported at end of file"
printf 'From: a@example.com\nTo: b@example.org\nSubject: Your invoice\n\nhi\n' > "$T/m.eml"
"$ACKMAIL" check -r "$T/ok.sieve" "$T/m.eml" > "$T/json"
is "$(cat "$T/json")" '{"action":"store","folder":"Billing","flags":["\\Seen"],"implicit":false,"copy":false}' "fileinto with flags as JSON"
printf 'From: a@example.com\nSubject: hello\n\nhi\n' > "$T/m2.eml"
"$ACKMAIL" check -r "$T/ok.sieve" "$T/m2.eml" > "$T/json"
is "$(cat "$T/json")" '{"action":"store","folder":"INBOX","flags":[],"implicit":true,"copy":false}' "implicit keep printed"
printf 'redirect "a@example.com"; redirect "b@example.com"; redirect "c@example.com"; redirect "d@example.com"; redirect "e@example.com";\n' > "$T/r.sieve"
"$ACKMAIL" check -r "$T/r.sieve" "$T/m2.eml" > "$T/json" 2>/dev/null
is "$(cat "$T/json")" '{"action":"store","folder":"INBOX","flags":[],"implicit":true,"copy":false}' "too many redirects: runtime error falls back to implicit keep"
"$ACKMAIL" check -r "$T/ok.sieve" "$T/m.eml" "$T/m2.eml" > "$T/json"
is "$(cat "$T/json")" "{\"message\":\"$T/m.eml\",\"action\":\"store\",\"folder\":\"Billing\",\"flags\":[\"\\\\Seen\"],\"implicit\":false,\"copy\":false}
{\"message\":\"$T/m2.eml\",\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":[],\"implicit\":true,\"copy\":false}" "several messages: each line names its message"
