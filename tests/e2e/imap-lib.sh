# imap-lib.sh - a throwaway Dovecot IMAP server on 127.0.0.1 for the
# ackmail poll tests. Source it after lib.sh. Gives:
#   dovecot_start [tls]  start (tls: also STARTTLS and imaps with a
#                        self-signed certificate for 127.0.0.1/localhost);
#                        sets IMAP_PORT (and IMAPS_PORT, CA_FILE);
#                        $DOVECOT_EXTRA is appended to the configuration
#                        (cheaper than a restart: a stop takes seconds)
#   dovecot_stop / dovecot_kill / dovecot_restart
#   imap_tool ARGS       tests/e2e/imap-tool.py
#   dcount MAILBOX [QUERY...]  messages matching a doveadm search query
#                        (UTF-8 names; much cheaper than imap_tool count)
#   poll_conf FILE KEY=VALUE...   writes an ackmail.conf (mode 0600)
command -v dovecot >/dev/null 2>&1 || skip_all "dovecot not installed"
[ "$(id -u)" = 0 ] || skip_all "the Dovecot tests run as root"
IMAP_TOOL="$ROOT/tests/e2e/imap-tool.py"
D=$T/dovecot
DOVECOT_PID=

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
  for _ in $(seq 1 400); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.025
  done
  return 1
}
imap_tool() { python3 "$IMAP_TOOL" "$@"; }
dcount() { # prints "error" when doveadm refuses the query
  local mb=$1 out; shift
  out=$(doveadm -c "$D/dovecot.conf" search -u support mailbox "$mb" "${@:-all}") ||
    { echo error; return; }
  [ -z "$out" ] && echo 0 || printf '%s\n' "$out" | wc -l
}

dovecot_start() {
  mkdir -p "$D/run" "$D/state" "$D/mail"
  chown 65534:65534 "$D/mail"
  [ -n "${IMAP_PORT:-}" ] || IMAP_PORT=$(free_port)
  local ssl="ssl = no"
  if [ "${1:-}" = tls ]; then
    [ -n "${IMAPS_PORT:-}" ] || IMAPS_PORT=$(free_port)
    CA_FILE=$D/cert.pem
    if [ ! -f "$CA_FILE" ]; then
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -addext "extendedKeyUsage=serverAuth" \
        -keyout "$D/key.pem" -out "$CA_FILE" >/dev/null 2>&1 || return 1
      chmod 644 "$D/key.pem"
    fi
    ssl="ssl = yes
ssl_cert = <$CA_FILE
ssl_key = <$D/key.pem"
  fi
  cat > "$D/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
instance_name = ackmail-test-$$
log_path = $D/dovecot.log
$ssl
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$D/mail/%u/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$D/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1, 127.0.0.2
    port = ${IMAPS_PORT:-0}
  }
}
${DOVECOT_EXTRA:-}
CONF
  printf 'support:{PLAIN}secret\n' > "$D/passwd"; chmod 644 "$D/passwd"
  dovecot -F -c "$D/dovecot.conf" & DOVECOT_PID=$!
  wait_port "$IMAP_PORT"
}
dovecot_stop() {
  [ -n "$DOVECOT_PID" ] || return 0
  kill "$DOVECOT_PID" 2>/dev/null; wait "$DOVECOT_PID" 2>/dev/null
  DOVECOT_PID=
}
# SIGKILL the master and every process of the instance (imap, auth).
dovecot_kill() {
  [ -n "$DOVECOT_PID" ] || return 0
  local kids
  kids=$(ps -o pid= --ppid "$DOVECOT_PID" 2>/dev/null)
  kill -KILL "$DOVECOT_PID" $kids 2>/dev/null; wait "$DOVECOT_PID" 2>/dev/null
  DOVECOT_PID=
  rm -f "$D/run/master.pid"
}
dovecot_restart() { dovecot_stop; dovecot_start "$@"; }
at_exit dovecot_stop

poll_conf() { # FILE key=value... (into the [imap "support"] section)
  local f=$1; shift
  {
    echo "[database]"
    echo "path = $T/ackmail.db"
    echo "[imap \"support\"]"
    echo "host = 127.0.0.1"
    echo "port = $IMAP_PORT"
    echo "tls = none"
    echo "allow_plain = yes"
    echo "user = support"
    echo "password = secret"
    for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
  } > "$f"
  chmod 600 "$f"
}

# support_conf FILE: appends the support desk (acknowledgements on, the
# outbound SMTP server a closed port, so every acknowledgement stays in
# the outbox where the test can count it).
support_conf() {
  cat >> "$1" <<CONF
[support]
address = support@nwit.example
staff = @nwit.example
name = Northwind IT Services
secret = imap-test
first_issue_number = 1001
[ack]
template_dir = $ROOT/rules/templates
[outbound]
method = smtp
smtp_host = 127.0.0.1
smtp_port = $(free_port)
flush_budget = 1s
CONF
}

# corpus_files STEP [MAXKB]: every STEP-th message of the shared corpus
# (sorted, deterministic, a spread over all its sources), below MAXKB
# kilobytes each (default 2000).
corpus_files() {
  find "$CORPUS" -type f -name '*.eml' -size -"${2:-2000}"k | LC_ALL=C sort |
    awk -v s="$1" '(NR - 1) % s == 0'
}
