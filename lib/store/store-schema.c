/*
 * store-schema.c - the numbered migrations of the database. Append only:
 * a released migration is never edited; a change is a new migration.
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
    {30, "notices",
     "CREATE TABLE notices ("
     "  id INTEGER PRIMARY KEY,"
     "  customer INTEGER,"		/* support core customer id */
     "  issue INTEGER,"			/* issue number */
     "  to_addr TEXT NOT NULL,"		/* the one recipient tracked */
     "  cc TEXT,"
     "  subject TEXT NOT NULL,"
     "  message_id TEXT NOT NULL,"
     "  sender TEXT,"			/* the staff member */
     "  source TEXT NOT NULL,"		/* send | bcc */
     "  sent_at INTEGER NOT NULL,"
     "  deadline INTEGER NOT NULL,"
     "  change_at INTEGER,"
     "  state TEXT NOT NULL DEFAULT 'waiting',"
     "  reason TEXT,"			/* why it escalated */
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
     "  message_id TEXT"			/* the mail that caused it */
     ");"
     "CREATE INDEX notice_events_notice ON notice_events(notice, id);"},
    {0, NULL, NULL},
};
