#!/bin/sh
# 0912-postfix-contrib.t - contrib/postfix does what its README says,
# checked against a real Postfix on 127.0.0.1 with a stand-in for ackmail
# that records its arguments and input: the mailbox_command line of
# main.cf.snippet passes the envelope (an empty argument for the null
# sender) after a "From " line; the pipe transport of master.cf.snippet
# passes an empty -f for bounces (null_sender=); exit 75 defers, exit 78
# bounces.
. "$(dirname "$0")/lib.sh"

command -v postfix > /dev/null && command -v swaks > /dev/null ||
  skip_all "postfix or swaks not installed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to run a private Postfix"
id postfix > /dev/null 2>&1 || skip_all "no postfix user"

PORT=$((20000 + $$ % 20000))
P=$T/pf
mkdir -p "$P/etc" "$P/spool" "$P/data" "$P/out" || exit 1
chown postfix "$P/data"
chmod 777 "$P/out"
cp /etc/postfix/master.cf "$P/etc/"
[ -f /etc/postfix/dynamicmaps.cf ] && cp /etc/postfix/dynamicmaps.cf "$P/etc/"

# The stand-in records argv (one [arg] each), SENDER/RECIPIENT and the
# message, and exits 75 or 78 when the recipient asks for it.
cat > "$P/ackmail" <<STANDIN
#!/bin/sh
f=$P/out/\$(date +%s%N).\$\$
for a in "\$@"; do printf '[%s]' "\$a"; done > "\$f.argv"
printf 'SENDER=[%s] RECIPIENT=[%s]\n' "\$SENDER" "\$RECIPIENT" > "\$f.env"
cat > "\$f.msg"
case "\$*\$RECIPIENT" in
  *tempfail*) exit 75 ;;
  *badconfig*) exit 78 ;;
esac
exit 0
STANDIN
chmod 755 "$P/ackmail"

mbox_cmd=$(sed -n 's/^mailbox_command = //p' \
  "$ROOT/contrib/postfix/main.cf.snippet" | sed "s|/usr/local/bin/ackmail|$P/ackmail|")
pipe_cmd=$(sed -n '/^ackmail /,$p' "$ROOT/contrib/postfix/master.cf.snippet" |
  tr '\n' ' ' | sed -e "s|/usr/local/bin/ackmail|$P/ackmail|" \
  -e 's/user=support/user=nobody/' -e 's/  */ /g')
[ -n "$mbox_cmd" ] && [ -n "$pipe_cmd" ]
ok $? "the snippets give a mailbox_command and a pipe transport"

cat > "$P/etc/main.cf" <<MAINCF
compatibility_level = 3.6
queue_directory = $P/spool
data_directory = $P/data
mail_owner = postfix
myhostname = mx.example-it.test
mydomain = example-it.test
mydestination = localhost, example-it.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:9
alias_maps =
alias_database =
local_recipient_maps =
recipient_delimiter = +
mailbox_command = $mbox_cmd
relay_domains = pipe.example-it.test
transport_maps = inline:{ pipe.example-it.test=ackmail: }
ackmail_destination_recipient_limit = 1
maillog_file_prefixes = /var, /dev/stdout, /tmp
maillog_file = $P/maillog
smtputf8_enable = no
biff = no
MAINCF
postconf -c "$P/etc" -M smtp/inet="127.0.0.1:$PORT inet n - n - - smtpd"
postconf -c "$P/etc" -M ackmail/unix="$pipe_cmd"
# no chroot for the private instance
sed -i -E 's/^([a-z]+[[:space:]]+(unix|inet|fifo|unix-dgram|pass)[[:space:]]+[-yn][[:space:]]+[-yn][[:space:]]+)[-y]([[:space:]])/\1n\3/' "$P/etc/master.cf"
postfix -c "$P/etc" start > "$T/start.log" 2>&1
st=$?
ok $st "a private Postfix starts"
if [ $st -ne 0 ]; then
  sed 's/^/# /' "$T/start.log"
  done_testing
  exit 1
fi
at_exit "postfix -c '$P/etc' stop > /dev/null 2>&1"
send() { # from to subject; retried while the server starts
  for _ in $(seq 1 100); do
    swaks --silent 2 --server "127.0.0.1:$PORT" --from "$1" --to "$2" \
      --header "Subject: $3" --body "test $3" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
send anna@baker-sons.test nobody@example-it.test plain
send '<>' nobody@example-it.test nullsender
send '<>' support@pipe.example-it.test pipe-nullsender
send anna@baker-sons.test nobody+tempfail@example-it.test tempfail
send anna@baker-sons.test nobody+badconfig@example-it.test badconfig

# wait until the five deliveries are in the log (a wait, not an assertion)
for _ in $(seq 1 300); do
  [ "$(grep -c 'status=' "$P/maillog" 2> /dev/null)" -ge 5 ] && break
  sleep 0.1
done

of() { # SUFFIX SUBJECT: the .argv/.env/.msg file of the message with that subject
  for m in "$P"/out/*.msg; do
    [ -f "$m" ] || continue
    grep -q "^Subject: $2\$" "$m" && cat "${m%.msg}.$1" && return
  done
}

is "$(of argv plain)" \
  "[deliver][-a][nobody@example-it.test][-f][anna@baker-sons.test]" \
  "mailbox_command: -a RECIPIENT -f SENDER"
is "$(of env plain)" \
  "SENDER=[anna@baker-sons.test] RECIPIENT=[nobody@example-it.test]" \
  "mailbox_command: SENDER and RECIPIENT in the environment"
is "$(of argv nullsender)" "[deliver][-a][nobody@example-it.test][-f][]" \
  "mailbox_command: the null sender is an empty argument"
is "$(of msg plain | head -c 5)" "From " \
  "mailbox_command: local(8) puts a From line first"
is "$(of argv pipe-nullsender)" \
  "[deliver][-c][/etc/ackmail.conf][-f][][-a][support@pipe.example-it.test]" \
  "pipe transport: null_sender= gives an empty -f argument"
of msg pipe-nullsender | grep -q '^Delivered-To: support@pipe.example-it.test'
ok $? "pipe transport: flag D adds Delivered-To"
grep -q 'to=<nobody+tempfail@example-it.test>.*status=deferred' "$P/maillog"
ok $? "exit 75 defers the message"
grep -q 'to=<nobody+badconfig@example-it.test>.*status=bounced' "$P/maillog"
ok $? "exit 78 bounces the message (as the README warns)"
grep -q 'to=<nobody@example-it.test>.*status=sent' "$P/maillog"
ok $? "exit 0 is a delivery"
done_testing
