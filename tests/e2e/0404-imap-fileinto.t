#!/bin/bash
# Rule actions carried out on the IMAP server: fileinto "Support.Acme"
# moves into that folder (created, "." mapped to the server's separator),
# imap4flags become IMAP flags, keep stays with the processed flag,
# discard deletes; the same with MOVE hidden from the capabilities (the
# COPY + \Deleted + UID EXPUNGE fallback) and with a "/" separator.
# Needs a Sieve engine in the build (skipped otherwise).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/imap-lib.sh"

cat > "$T/rules.sieve" <<'SIEVE'
require ["fileinto", "imap4flags"];
if header :contains "subject" "printer" {
  addflag "\\Flagged";
  fileinto "Support.Acme";
  stop;
}
if header :contains "subject" "newsletter" {
  discard;
  stop;
}
addflag "Seen-By-Ackmail";
keep;
SIEVE
printf '[rules]\npath = %s\n' "$T/rules.sieve" > "$T/check.conf"
"$ACKMAIL" check -c "$T/check.conf" > /dev/null 2>&1 ||
  skip_all "no Sieve engine in this build"

mk() { # FILE SUBJECT
  printf 'From: c%s@example.com\r\nTo: support@example.com\r\nSubject: %s\r\nMessage-ID: <%s.%s@example.com>\r\n\r\nbody\r\n' \
    "$RANDOM" "$2" "$(basename "$1")" "$RUN" > "$1"
}

run_case() { # NAME [dovecot settings]
  RUN=$1
  DOVECOT_EXTRA=${2:-}
  dovecot_start || { ok 1 "$1: dovecot started"; return; }
  mkdir -p "$T/m$RUN"
  mk "$T/m$RUN/1" "the printer is offline"
  mk "$T/m$RUN/2" "monthly newsletter"
  mk "$T/m$RUN/3" "question about invoices"
  mk "$T/m$RUN/4" "printer again"
  imap_tool append "$IMAP_PORT" INBOX "$T/m$RUN/1" "$T/m$RUN/2" "$T/m$RUN/3" "$T/m$RUN/4"
  if [ "$RUN" = move ]; then
    poll_conf "$T/c" processed=move local_maildir="$T/local"
  else
    poll_conf "$T/c" processed=move
  fi
  printf '[rules]\npath = %s\n' "$T/rules.sieve" >> "$T/c"
  "$ACKMAIL" poll -c "$T/c" --once 2> "$T/log-$RUN"; st=$?
  is "$st" 0 "$RUN: poll exits 0"
  sep=$(python3 - "$IMAP_PORT" <<'PY'
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); m.login("support", "secret")
print(m.list('""', '""')[1][0].decode().split('"')[1])
PY
)
  is "$(imap_tool count "$IMAP_PORT" "Support${sep}Acme")" 2 "$RUN: fileinto moved both printer messages into Support${sep}Acme"
  is "$(imap_tool count "$IMAP_PORT" "Support${sep}Acme" FLAGGED)" 2 "$RUN: with the rule's \\Flagged"
  is "$(imap_tool count "$IMAP_PORT" INBOX)" 1 "$RUN: only the kept message is left in INBOX"
  is "$(imap_tool count "$IMAP_PORT" INBOX KEYWORD '$AckmailProcessed' KEYWORD Seen-By-Ackmail SUBJECT invoices)" 1 \
    "$RUN: the kept message has the processed flag and the rule's keyword"
  is "$(imap_tool count "$IMAP_PORT" INBOX SUBJECT newsletter)" 0 "$RUN: the discarded message is gone"
  if [ "$RUN" = move ]; then
    is "$(find "$T/local/.Support.Acme/cur" "$T/local/.Support.Acme/new" -type f | wc -l)" 2 \
      "$RUN: local_maildir: a copy of each filed message in .Support.Acme"
    is "$(find "$T/local/cur" "$T/local/new" -type f | wc -l)" 1 "$RUN: local_maildir: the kept one in INBOX"
  fi
  if [ "$RUN" = nomove ]; then
    python3 - "$IMAP_PORT" <<'PY'
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); m.login("support", "secret")
typ, data = m.capability()
sys.exit(b"MOVE" in data[0].split())
PY
    ok $? "$RUN: the server did not offer MOVE"
  fi
  dovecot_stop
  rm -rf "$D"
}

run_case move
run_case nomove "imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE UIDPLUS NAMESPACE"
run_case slash "mail_location = maildir:$D/mail/%u/Maildir:LAYOUT=fs
namespace inbox {
  inbox = yes
  separator = /
}"
done_testing
