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
    {2, "sieve vacation and duplicate records",
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
