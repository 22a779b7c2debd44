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
    {0, NULL, NULL},
};
