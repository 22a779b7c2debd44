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
    {0, NULL, NULL},
};
