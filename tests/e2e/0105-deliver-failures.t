#!/bin/bash
# Failures are transient (exit 75) and leave nothing half-delivered: an
# unwritable Maildir or mbox for an unprivileged user, and a file size
# limit (ulimit -f) smaller than the message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deliver.sh"
deliver_probe
mkmsg "$T/small.eml" 2000 "$T/big.eml" 1000000

# --- as nobody ---------------------------------------------------------
if id nobody > /dev/null 2>&1 && command -v runuser > /dev/null; then
  mkdir -p "$T/nb/home" "$T/nb/db"
  chown nobody "$T/nb/home" "$T/nb/db"
  as_nobody() { # as_nobody ARGS... < message
    runuser -u nobody -- env HOME="$T/nb/home" "$ACKMAIL" deliver \
      --db "$T/nb/db/ackmail.db" "$@"
  }
  # control: nobody can deliver into a Maildir of its own
  mkdir "$T/nb/own" && chown nobody "$T/nb/own"
  as_nobody -m "$T/nb/own/Maildir" < "$T/small.eml" > "$T/out" 2>&1
  is "$?" 0 "nobody delivers into its own Maildir"
  is "$(ls "$T/nb/own/Maildir/new" 2> /dev/null | wc -l)" 1 \
    "and the message is in new/"

  # a Maildir nobody may not write to
  mkdir -p "$T/nb/ro/tmp" "$T/nb/ro/new" "$T/nb/ro/cur"
  chmod -R 555 "$T/nb/ro"
  as_nobody -m "$T/nb/ro" < "$T/small.eml" > "$T/out" 2>&1
  is "$?" 75 "an unwritable Maildir gives exit 75"
  is "$(ls "$T/nb/ro/new" "$T/nb/ro/tmp" "$T/nb/ro/cur" | grep -vc ':$\|^$')" 0 \
    "and leaves nothing in it"
  # a Maildir folder that cannot be created
  as_nobody -m "$T/nb/ro/sub" < "$T/small.eml" > "$T/out" 2>&1
  is "$?" 75 "an uncreatable Maildir gives exit 75"

  # an mbox nobody may not write to
  mkdir "$T/nb/mb"
  printf 'From x Mon Jan  1 00:00:00 2001\nold\n\n' > "$T/nb/mb/mbox"
  cp "$T/nb/mb/mbox" "$T/mbox.before"
  chmod 444 "$T/nb/mb/mbox"; chmod 555 "$T/nb/mb"
  as_nobody --mbox "$T/nb/mb/mbox" < "$T/small.eml" > "$T/out" 2>&1
  is "$?" 75 "an unwritable mbox gives exit 75"
  cmp -s "$T/nb/mb/mbox" "$T/mbox.before"
  ok $? "and stays as it was"
  chmod -R u+w "$T/nb"
else
  diag "no nobody user or runuser: unprivileged cases not run"
fi

# --- ulimit -f ----------------------------------------------------------
# bash counts ulimit -f in 1024-byte blocks: 256 KB here
limited() { (ulimit -f 256; deliver "$@") }
limited -m "$T/lim" < "$T/small.eml" > "$T/out" 2>&1
is "$?" 0 "under the size limit a small message is delivered"
limited -m "$T/lim" < "$T/big.eml" > "$T/out" 2>&1
is "$?" 75 "a message over the size limit gives exit 75"
is "$(ls "$T/lim/new" | wc -l)" 1 "and adds nothing to new/"
is "$(ls "$T/lim/tmp" | wc -l)" 0 "nor leaves anything in tmp/"

printf 'From x Mon Jan  1 00:00:00 2001\nold\n\n' > "$T/lim.mbox"
limited --mbox "$T/lim.mbox" < "$T/small.eml" > "$T/out" 2>&1
is "$?" 0 "under the size limit a small message is appended"
cp "$T/lim.mbox" "$T/lim.before"
limited --mbox "$T/lim.mbox" < "$T/big.eml" > "$T/out" 2>&1
is "$?" 75 "an append over the size limit gives exit 75"
cmp -s "$T/lim.mbox" "$T/lim.before"
ok $? "and the mbox is truncated back to its length before"
ok $([ ! -e "$T/lim.mbox.lock" ] && echo 0 || echo 1) "no dotlock left behind"
done_testing
