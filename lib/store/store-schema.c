/*
 * store-schema.c - the numbered migrations of the database. Append only:
 * a released migration is never edited; a change is a new migration.
 * Each branch appends in its own range of numbers; the table
 * schema_migrations records every version applied to a database, so a
 * lower number added later is still applied (store.c).
 */
#include <stddef.h>

#include "store-private.h"

const struct store_migration store_migrations[] = {
    {1, "delivery log",
     "CREATE TABLE delivery_log ("
     "  id INTEGER PRIMARY KEY,"
     "  message_id TEXT,"
     "  at INTEGER NOT NULL,"
     "  outcome TEXT NOT NULL,"
     "  folders TEXT"
     ");"
     "CREATE INDEX delivery_log_mid ON delivery_log(message_id);"},

    /* ---- support core (10-19): customers, issues, messages ---- */
    {10, "support core",
     "CREATE TABLE customers ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL DEFAULT '',"
     "  company TEXT,"
     "  phones TEXT,"
     "  notes TEXT,"
     "  vip INTEGER NOT NULL DEFAULT 0,"
     "  created_at INTEGER NOT NULL"
     ");"
     /* lower case: a@b.example, or @b.example for the whole domain */
     "CREATE TABLE customer_addresses ("
     "  address TEXT PRIMARY KEY,"
     "  customer_id INTEGER NOT NULL REFERENCES customers(id)"
     "    ON DELETE CASCADE"
     ");"
     "CREATE INDEX customer_addresses_cust ON customer_addresses(customer_id);"
     "CREATE TABLE issues ("
     "  number INTEGER PRIMARY KEY,"
     "  customer_id INTEGER REFERENCES customers(id),"
     "  subject TEXT NOT NULL DEFAULT '',"
     "  state TEXT NOT NULL DEFAULT 'open'"
     "    CHECK (state IN ('open','waiting','resolved','closed')),"
     "  queue TEXT NOT NULL DEFAULT 'support',"
     "  opener TEXT,"
     "  opened_at INTEGER NOT NULL,"
     "  closed_at INTEGER,"
     "  last_customer_at INTEGER,"
     "  last_ours_at INTEGER,"
     "  linked_issue INTEGER REFERENCES issues(number),"
     "  resolved_told INTEGER NOT NULL DEFAULT 0"
     ");"
     "CREATE INDEX issues_customer ON issues(customer_id);"
     "CREATE INDEX issues_state ON issues(state);"
     "CREATE TABLE issue_tags ("
     "  issue INTEGER NOT NULL REFERENCES issues(number) ON DELETE CASCADE,"
     "  tag TEXT NOT NULL,"
     "  PRIMARY KEY (issue, tag)"
     ");"
     /* every message seen, incoming and ours */
     "CREATE TABLE messages ("
     "  id INTEGER PRIMARY KEY,"
     "  message_id TEXT NOT NULL UNIQUE,"
     "  direction TEXT NOT NULL CHECK (direction IN ('in','out')),"
     "  in_reply_to TEXT,"
     "  refs TEXT,"
     "  from_addr TEXT,"
     "  to_addrs TEXT,"
     "  envelope_to TEXT,"
     "  subject TEXT,"
     "  subject_key TEXT,"
     "  date INTEGER,"
     "  class TEXT NOT NULL,"
     "  issue INTEGER REFERENCES issues(number),"
     "  customer_id INTEGER REFERENCES customers(id),"
     "  match_reason TEXT,"
     "  failed_recipient TEXT,"
     "  original_message_id TEXT,"
     "  received_at INTEGER NOT NULL"
     ");"
     "CREATE INDEX messages_issue ON messages(issue);"
     "CREATE INDEX messages_subject ON messages(subject_key);"
     /* every Message-ID known to belong to an issue: the messages' own
	ids and the ids they refer to */
     "CREATE TABLE message_refs ("
     "  ref TEXT PRIMARY KEY,"
     "  issue INTEGER NOT NULL REFERENCES issues(number) ON DELETE CASCADE"
     ");"
     "CREATE INDEX message_refs_issue ON message_refs(issue);"
     /* ticket numbers of other systems mapped to issues */
     "CREATE TABLE issue_external_ids ("
     "  system TEXT NOT NULL,"
     "  external_id TEXT NOT NULL,"
     "  issue INTEGER NOT NULL REFERENCES issues(number) ON DELETE CASCADE,"
     "  PRIMARY KEY (system, external_id)"
     ");"},
    /* the new text of each message (quoted history removed), for
       `ackmail issue show` */
    {11, "support core: message text",
     "ALTER TABLE messages ADD COLUMN body TEXT;"},
    /* 20-29: outbound mail and acknowledgements (store-outbox.c) */
    {20, "outbox and acknowledgement log",
     "CREATE TABLE outbox ("
     "  id INTEGER PRIMARY KEY,"
     "  kind TEXT NOT NULL,"
     "  env_from TEXT NOT NULL,"
     "  rcpts TEXT NOT NULL,"
     "  data BLOB NOT NULL,"
     "  message_id TEXT,"
     "  issue INTEGER,"
     "  created INTEGER NOT NULL,"
     "  state TEXT NOT NULL DEFAULT 'queued',"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt INTEGER NOT NULL,"
     "  claimed_at INTEGER,"
     "  claim_pid INTEGER,"
     "  last_error TEXT,"
     "  done_at INTEGER"
     ");"
     "CREATE INDEX outbox_due ON outbox(state, next_attempt);"
     "CREATE TABLE ack_log ("
     "  id INTEGER PRIMARY KEY,"
     "  sender TEXT NOT NULL,"
     "  issue INTEGER,"
     "  at INTEGER NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  message_id TEXT,"
     "  suppressed TEXT,"
     "  outbox_id INTEGER"
     ");"
     "CREATE INDEX ack_log_sender ON ack_log(sender, at);"
     "CREATE INDEX ack_log_at ON ack_log(at);"},
    /* the recipients of a message with several that have their final
       answer: accepted (sent) or refused for good (failed); those
       without a row are still to be sent */
    {21, "outbox: per-recipient results",
     "CREATE TABLE outbox_rcpts ("
     "  outbox_id INTEGER NOT NULL,"
     "  rcpt TEXT NOT NULL,"
     "  state TEXT NOT NULL,"
     "  at INTEGER NOT NULL,"
     "  error TEXT,"
     "  PRIMARY KEY (outbox_id, rcpt)"
     ");"
     "CREATE INDEX outbox_rcpts_failed ON outbox_rcpts(state, at);"},

    {30, "notices",
     "CREATE TABLE notices ("
     "  id INTEGER PRIMARY KEY,"
     "  customer INTEGER,"	/* support core customer id */
     "  issue INTEGER,"		/* issue number */
     "  to_addr TEXT NOT NULL," /* the one recipient tracked */
     "  to_name TEXT,"		/* their display name */
     "  cc TEXT,"
     "  subject TEXT NOT NULL,"
     "  message_id TEXT NOT NULL,"
     "  sender TEXT,"	       /* the staff member */
     "  source TEXT NOT NULL," /* send | bcc */
     "  sent_at INTEGER NOT NULL,"
     "  deadline INTEGER NOT NULL,"
     "  change_at INTEGER,"
     "  state TEXT NOT NULL DEFAULT 'waiting',"
     "  reason TEXT," /* why it escalated */
     "  escalated_at INTEGER,"
     "  away_until INTEGER,"
     "  ack_by TEXT,"
     "  ack_at INTEGER,"
     "  ack_excerpt TEXT,"
     "  reminded_at INTEGER,"
     "  updated_at INTEGER NOT NULL,"
     "  UNIQUE (message_id, to_addr)"
     ");"
     "CREATE INDEX notices_state ON notices(state, deadline);"
     "CREATE INDEX notices_issue ON notices(issue);"
     "CREATE TABLE notice_events ("
     "  id INTEGER PRIMARY KEY,"
     "  notice INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,"
     "  at INTEGER NOT NULL,"
     "  state TEXT NOT NULL,"
     "  note TEXT,"
     "  message_id TEXT" /* the mail that caused it */
     ");"
     "CREATE INDEX notice_events_notice ON notice_events(notice, id);"},
    {40, "imap polling state",
     "CREATE TABLE imap_mailbox ("
     "  account TEXT NOT NULL,"
     "  mailbox TEXT NOT NULL,"
     "  uidvalidity INTEGER NOT NULL,"
     "  last_uid INTEGER NOT NULL,"
     "  updated INTEGER NOT NULL,"
     "  PRIMARY KEY (account, mailbox)"
     ");"
     "CREATE TABLE imap_processed ("
     "  key TEXT PRIMARY KEY,"
     "  account TEXT NOT NULL,"
     "  mailbox TEXT NOT NULL,"
     "  uidvalidity INTEGER NOT NULL,"
     "  uid INTEGER NOT NULL,"
     "  folders TEXT,"
     "  flags TEXT,"
     "  keep INTEGER NOT NULL DEFAULT 1,"
     "  outcome TEXT NOT NULL,"
     "  at INTEGER NOT NULL"
     ");"},
    {41, "imap batch size per account (shrinks on flaky links)",
     "CREATE TABLE imap_link ("
     "  account TEXT PRIMARY KEY,"
     "  batch INTEGER NOT NULL,"
     "  failures INTEGER NOT NULL,"
     "  successes INTEGER NOT NULL,"
     "  updated INTEGER NOT NULL"
     ");"},
    {50, "sieve vacation and duplicate records",
     "CREATE TABLE sieve_vacation ("
     "  sender TEXT NOT NULL COLLATE NOCASE,"
     "  handle TEXT NOT NULL,"
     "  sent_at INTEGER NOT NULL,"
     "  PRIMARY KEY (sender, handle)"
     ");"
     "CREATE TABLE sieve_duplicate ("
     "  id TEXT PRIMARY KEY,"
     "  seen_at INTEGER NOT NULL,"
     "  expires_at INTEGER NOT NULL"
     ");"
     "CREATE INDEX sieve_duplicate_expiry ON sieve_duplicate(expires_at);"},
    {0, NULL, NULL},
};
