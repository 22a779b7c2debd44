#!/bin/sh
# SMTP with TLS: STARTTLS and implicit TLS, the server certificate
# verified against [outbound] smtp_ca_file and the host name; a server
# that cannot be verified, or offers no STARTTLS, gets nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sink.sh"
command -v openssl > /dev/null || skip_all "openssl is not installed"
C=$T/certs; mkdir -p "$C"
mkcert() { # NAME SAN
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$C/$1.key" -out "$C/$1.crt" -CA "$C/ca.crt" -CAkey "$C/ca.key" \
    -addext "subjectAltName=$2" > /dev/null 2>&1
}
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ackmail test CA" \
  -keyout "$C/ca.key" -out "$C/ca.crt" > /dev/null 2>&1 || skip_all "openssl cannot make a CA"
mkcert good "IP:127.0.0.1,DNS:localhost" || skip_all "openssl cannot sign"
mkcert wrong "DNS:other.example"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=rogue CA" \
  -keyout "$C/rogue.key" -out "$C/rogue.crt" > /dev/null 2>&1

conf() { # PORT TLS [CA]
  {
    printf '[database]\npath = %s/db\n[outbound]\nmethod = smtp\n' "$T"
    printf 'smtp_host = 127.0.0.1\nsmtp_port = %s\nsmtp_tls = %s\n' "$1" "$2"
    printf 'smtp_timeout = 10s\n'
    [ -n "${3:-}" ] && printf 'smtp_ca_file = %s\n' "$3"
    [ -n "${4:-}" ] && printf 'smtp_user = u\nsmtp_password = pw\n'
  } > "$T/conf"
}
export ACKMAIL_CONFIG=$T/conf
try() { # DESCRIPTION: queue one message, flush, print its state
  id=$(printf 'Subject: %s\n\nx\n' "$1" |
    "$ACKMAIL" outbox queue --from '<>' c@y.test | awk '{print $2}')
  start=$(date +%s)
  "$ACKMAIL" outbox flush > /dev/null 2> "$T/flush.err"
  echo "# $1: flush took $(( $(date +%s) - start ))s: $(tr '\n' ' ' < "$T/flush.err")" >&2
  "$ACKMAIL" outbox list --json --state all | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["id"] == int(sys.argv[1]): print(o["state"])' "$id"
  "$ACKMAIL" outbox drop "$id" > /dev/null 2>&1
}

sink_start "$T/st" "" --tls-cert "$C/good.crt" --tls-key "$C/good.key"
P1=$SINK_PORT
conf "$P1" starttls "$C/ca.crt"
is "$(try starttls)" sent "STARTTLS with the server verified against smtp_ca_file"
is "$(sink_count "$T/st")" 1 "the sink got it"
conf "$P1" starttls "$C/rogue.crt"
is "$(try rogue)" queued "a certificate from another CA: not sent, kept"
grep -q 'not trusted' "$T/flush.err"; ok $? "the reason says so"
conf "$P1" starttls "$C/ca.crt" auth
echo "auth u:pw" > "$SINK_MODE"
is "$(try auth)" sent "AUTH over STARTTLS"
echo ok > "$SINK_MODE"

sink_start "$T/wrong" "" --tls-cert "$C/wrong.crt" --tls-key "$C/wrong.key"
conf "$SINK_PORT" starttls "$C/ca.crt"
is "$(try wrongname)" queued "a certificate for another name: not sent"
grep -q 'does not name' "$T/flush.err"; ok $? "the reason names the host"

sink_start "$T/plain"
conf "$SINK_PORT" starttls "$C/ca.crt"
is "$(try nostarttls)" queued "no STARTTLS offered: not sent in the clear"
is "$(sink_count "$T/plain")" 0 "nothing reached the plain server"
conf "$SINK_PORT" none "" auth
echo "auth u:pw" > "$T/plain.mode"
is "$(try plain-auth)" sent "AUTH without TLS to the loopback is allowed"

sink_start "$T/imp" "" --tls-cert "$C/good.crt" --tls-key "$C/good.key" --implicit-tls
conf "$SINK_PORT" implicit "$C/ca.crt"
is "$(try implicit)" sent "implicit TLS verified"
is "$(sink_count "$T/imp")" 1 "the implicit-TLS sink got it"
done_testing
