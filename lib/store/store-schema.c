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
    {0, NULL, NULL},
};
