#!/bin/sh
# SMTP with TLS: STARTTLS and implicit TLS, the server certificate
# verified against [outbound] smtp_ca_file and the host name; a server
# that cannot be verified, or offers no STARTTLS, gets nothing. A chain
# root -> intermediate -> leaf verifies with only the root in
# smtp_ca_file when the server sends the intermediate along.
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

# a throwaway chain: root -> intermediate -> leaf
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ackmail test root" \
  -keyout "$C/root.key" -out "$C/root.crt" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" > /dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ackmail test intermediate" \
  -keyout "$C/inter.key" -out "$C/inter.crt" -CA "$C/root.crt" -CAkey "$C/root.key" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" > /dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=leaf" \
  -keyout "$C/leaf.key" -out "$C/leaf.crt" -CA "$C/inter.crt" -CAkey "$C/inter.key" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "extendedKeyUsage=serverAuth" > /dev/null 2>&1
openssl verify -CAfile "$C/root.crt" -untrusted "$C/inter.crt" "$C/leaf.crt" > /dev/null 2>&1
ok $? "the test chain itself verifies with openssl"
cat "$C/leaf.crt" "$C/inter.crt" > "$C/leaf-chain.crt"

sink_start "$T/chain" "" --tls-cert "$C/leaf-chain.crt" --tls-key "$C/leaf.key"
conf "$SINK_PORT" starttls "$C/root.crt"
is "$(try chain-starttls)" sent "STARTTLS: the intermediate the server sends, the root from smtp_ca_file"
is "$(sink_count "$T/chain")" 1 "the chain sink got it"
conf "$SINK_PORT" starttls "$C/ca.crt"
is "$(try chain-other-root)" queued "the same chain under another root: not sent"
grep -q 'not trusted' "$T/flush.err"; ok $? "the reason says not trusted"

sink_start "$T/chainimp" "" --tls-cert "$C/leaf-chain.crt" --tls-key "$C/leaf.key" --implicit-tls
conf "$SINK_PORT" implicit "$C/root.crt"
is "$(try chain-implicit)" sent "implicit TLS with the chain verified"

sink_start "$T/leafonly" "" --tls-cert "$C/leaf.crt" --tls-key "$C/leaf.key"
conf "$SINK_PORT" starttls "$C/root.crt"
is "$(try leaf-only)" queued "a server that leaves out the intermediate: not verifiable, not sent"
is "$(sink_count "$T/leafonly")" 0 "nothing reached it"
cat "$C/root.crt" "$C/inter.crt" > "$C/root-inter.crt"
conf "$SINK_PORT" starttls "$C/root-inter.crt"
is "$(try leaf-only-inter-in-ca)" sent "the intermediate in smtp_ca_file still works"
done_testing
