# default.sieve - the standard support flow of ackmail.
#
# ackmail runs this file when [support] address is set and no [rules] path
# is configured (or the configured rules do not compile). It is installed
# as DATADIR/rules/default.sieve and built into the binary as well, so a
# missing file never stops the support work. Do not edit the installed
# copy: copy it, change it, and point [rules] path at your copy.
# The vnd.ackmail extension is described in ackmail-rules(5).
#
# Before any rule runs, ackmail has already
#   - classified the message: human, autoreply, bounce, mdn, list, loop,
#     calendar or spam (ackmail_class, ackmail_robot);
#   - found the sender's customer (ackmail_customer);
#   - matched the message to an issue, in this order: our own signed
#     Message-ID in In-Reply-To/References, any Message-ID recorded for an
#     issue, the subject tag [#1234] (from that issue's customer only), the
#     ticket rules, optionally a reply by subject, and for robots the issue
#     we last wrote to that customer (ackmail_matched, ackmail_state);
#   - noticed whether it answers one of our change notices
#     (ackmail_notice_reply, ${ackmail.notice}).
# The rules below decide what to do with that. None of the ackmail_*
# actions cancels Sieve's implicit keep: every message is still filed in
# the default mailbox unless a rule says otherwise (fileinto, discard).

require ["vnd.ackmail", "fileinto", "variables"];

# The same Message-ID delivered twice: it is recorded once and triggers
# nothing twice. Keep the copy (the implicit keep), do no support work.
if ackmail_duplicate {
    stop;
}

# A technician Bcc'd the tracking address: a change notice to track until
# the customer answers (the notices engine takes it from here). This comes
# first: a notice sent from one of our own addresses is still a notice.
if ackmail_tracking {
    ackmail_issue;              # recorded as ours on its issue ([#N] tag)
    ackmail_notice;
    stop;
}

# Our own mail coming back (X-Ackmail-Loop, our signed Message-ID, our own
# address in From or X-Loop): never answer it, never open an issue.
if ackmail_class "loop" {
    ackmail_issue;              # attach to its issue when it has one
    stop;
}

# Staff mail Bcc'd to the support address: recorded as ours on its issue.
if ackmail_staff {
    ackmail_issue;
    stop;
}

# Robots (auto-replies, bounces, read receipts, lists, calendar replies,
# spam) are attached to the issue they belong to, when they belong to one;
# they never open an issue and are never answered.
if ackmail_robot {
    ackmail_issue;
    stop;
}

# A reply to one of our change notices is an answer, not a new request.
# When the notice is about an issue, the reply was matched to that issue
# above (its Message-ID) and is handled below like any follow-up. When the
# notice is on no issue (sent without [#N] or --issue), the notices engine
# records the answer on the notice and ends it; the reply opens no issue
# and is not acknowledged. To open one instead, delete this block.
if allof (ackmail_notice_reply, not ackmail_matched) {
    ackmail_noissue;
    stop;
}

# A human: attach to the matched issue (a reply to an issue closed less
# than [support] reopen_window ago reopens it; a later one, or a stranger
# quoting someone else's number, opens a new issue linked to it), or open
# a new issue. Then acknowledge it: ackmail_acknowledge answers a message
# that opened or reopened its issue (add :always to answer every message,
# :template "name" and :lang "de" to choose the text), and only when the
# acknowledgement gate lets it through ([ack]: never a robot, once per
# sender and issue per period, the daily and per-minute caps).
ackmail_issue;
ackmail_acknowledge;
