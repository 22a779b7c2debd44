# postfix.sh - a throwaway Postfix on 127.0.0.1 for the end-to-end tests:
# its own config directory, queue and data directory under $T, no chroot,
# stopped at exit. Source after lib.sh and sink.sh.
#
#   pf_start DIR SMTPD_PORT RELAY_PORT MAILBOX_COMMAND [MAIN.CF LINES...]
#     local mail (mydestination: ackmail.test, a.test, b.test, localhost)
#     goes to MAILBOX_COMMAND (run as the recipient, here "nobody");
#     everything else is relayed to 127.0.0.1:RELAY_PORT (the sink).
#   pf_sendmail DIR: the sendmail command of that instance
#   pf_wait_idle DIR: until its queue is empty (bounded)
pf_start() {
  _pf=$1 _port=$2 _relay=$3 _cmd=$4
  shift 4
  command -v postfix > /dev/null || return 1
  mkdir -p "$_pf/etc" "$_pf/spool" "$_pf/data"
  chown postfix "$_pf/data"
  cp /etc/postfix/master.cf "$_pf/etc/"
  [ -f /etc/postfix/dynamicmaps.cf ] && cp /etc/postfix/dynamicmaps.cf "$_pf/etc/"
  cat > "$_pf/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $_pf/spool
data_directory = $_pf/data
mail_owner = postfix
myhostname = mx.ackmail.test
mydomain = ackmail.test
myorigin = ackmail.test
mydestination = localhost, ackmail.test, a.test, b.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$_relay
alias_maps =
alias_database =
local_recipient_maps =
mailbox_command = $_cmd
maillog_file_prefixes = /var, /dev/stdout, /tmp
maillog_file = $_pf/maillog
smtputf8_enable = no
biff = no
delay_warning_time = 0
CF
  for l in "$@"; do echo "$l" >> "$_pf/etc/main.cf"; done
  postconf -c "$_pf/etc" -M smtp/inet="127.0.0.1:$_port inet n - n - - smtpd"
  # no chroot: the queue lives under $T
  sed -i -E 's/^([a-z]+[[:space:]]+(unix|inet|fifo|unix-dgram|pass)[[:space:]]+[-yn][[:space:]]+[-yn][[:space:]]+)[-y]([[:space:]])/\1n\3/' "$_pf/etc/master.cf"
  at_exit "postfix -c '$_pf/etc' stop > /dev/null 2>&1"
  postfix -c "$_pf/etc" start > "$_pf/start.log" 2>&1 || { cat "$_pf/start.log" "$_pf/maillog" 2>/dev/null; return 1; }
  wait_port "$_port"
}
pf_sendmail() { echo "/usr/sbin/sendmail -C $1/etc"; }
pf_wait_idle() { # DIR: until nothing is queued (at most ~20 s)
  for _ in $(seq 1 200); do
    [ -z "$(find "$1/spool/maildrop" "$1/spool/incoming" "$1/spool/active" \
      "$1/spool/deferred" -type f 2>/dev/null | head -1)" ] && return 0
    sleep 0.1
  done
  return 1
}
