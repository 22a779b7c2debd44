#!/bin/sh
# 0310-notices-stream.t - a support-stream replayed with a moving clock:
# every change notice ends as the ground truth says (acknowledged, away,
# undeliverable, escalated), escalation comes at the deadline and not
# before, and a second `ackmail escalate` changes nothing. Prints the
# figures. The longer runs (2000 messages, several seeds) are in
# tests/difftest.d/notices-stream.sh.
. "$(dirname "$0")/lib.sh"

MESSAGES=${NOTICES_MESSAGES:-1000}
SEED=${NOTICES_SEED:-7}
# the state on tmpfs when there is one: a thousand fsyncs are not the
# subject here
W=$T
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  W=$(mktemp -d /dev/shm/ackmail-notices.XXXXXX) && at_exit "rm -rf '$W'"
fi
python3 "$SHARED/support-stream/make_support_corpus.py" --messages "$MESSAGES" \
  --seed "$SEED" --out "$T/s" >/dev/null || skip_all "cannot generate the stream"
cat > "$W/conf" <<CONF
[database]
path = $W/db
[deliver]
maildir = $W/Maildir
[support]
address = support@nwit.example
staff = @nwit.example
tracking_address = notices@nwit.example
first_issue_number = 1001
timezone = Europe/Berlin
[ack]
enabled = no
[notices]
deadline = 48h
[outbound]
method = sendmail
sendmail = /bin/true
CONF
diag "stream: $MESSAGES messages, seed $SEED"
python3 "$ROOT/tests/e2e/notices-replay.py" "$ACKMAIL" "$W/conf" "$T/s"
