#!/bin/bash
# ackmail poll over TLS: implicit TLS and STARTTLS against Dovecot with a
# self-signed certificate; verified with ca_file, refused without it and
# for a name the certificate does not carry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"
command -v openssl >/dev/null || skip_all "openssl not installed"

dovecot_start tls || { echo "1..0 # SKIP dovecot did not start"; exit 0; }
files=$(ls "$CORPUS"/request-tracker/*.eml | head -5)
imap_tool append "$IMAP_PORT" INBOX $files
C=$T/ackmail.conf

poll_conf "$C" port="$IMAPS_PORT" tls=implicit allow_plain=no ca_file="$CA_FILE" processed=flag
"$ACKMAIL" poll -c "$C" --once 2> "$T/log1"; st=$?
is "$st" 0 "implicit TLS with the CA file: exit 0"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log1")" 5 "implicit TLS: 5 messages processed"

imap_tool append "$IMAP_PORT" INBOX $(ls "$CORPUS"/request-tracker/*.eml | sed -n 6p)
poll_conf "$C" tls=starttls allow_plain=no ca_file="$CA_FILE" processed=flag
"$ACKMAIL" poll -c "$C" --once 2> "$T/log2"; st=$?
is "$st" 0 "STARTTLS with the CA file: exit 0"
is "$(grep -c 'uid [0-9]*: message-id=' "$T/log2")" 1 "STARTTLS: the new message processed"

poll_conf "$C" port="$IMAPS_PORT" tls=implicit allow_plain=no processed=flag
"$ACKMAIL" poll -c "$C" --once 2> "$T/log3"; st=$?
is "$st" 75 "self-signed certificate without ca_file refused"
grep -q 'certificate not trusted' "$T/log3"; ok $? "the refusal names the certificate"

poll_conf "$C" tls=starttls allow_plain=no processed=flag
"$ACKMAIL" poll -c "$C" --once 2> "$T/log4"; st=$?
is "$st" 75 "STARTTLS: untrusted certificate refused"

# a name the certificate does not carry (127.0.0.2 reaches the same
# loopback interface, but only 127.0.0.1 and localhost are in it)
poll_conf "$C" port="$IMAPS_PORT" tls=implicit ca_file="$CA_FILE" processed=flag
sed -i 's/^host = .*/host = 127.0.0.2/' "$C"
"$ACKMAIL" poll -c "$C" --once 2> "$T/log5"; st=$?
is "$st" 75 "certificate for another name refused"
grep -q 'certificate not trusted' "$T/log5"; ok $? "host name mismatch reported"

# credentials never reach a server whose certificate failed
grep 'lip=127.0.0.2' "$D/dovecot.log" > "$T/dlog"
grep -q 'no auth attempts' "$T/dlog"; ok $? "the server saw the connection without any login"
! grep -q 'Login: user=' "$T/dlog"; ok $? "no login towards the unverified server"
done_testing
