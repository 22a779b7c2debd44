/*
 * store-private.h - the SQLite backend's internals, for lib/store only.
 */
#ifndef ACKMAIL_STORE_PRIVATE_H
#define ACKMAIL_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3 *db;
	char *path;
	char *error;
	bool transient;
	int in_tx;
};

struct store_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct store_migration store_migrations[];

/* Applies the migrations of list (ended by a NULL sql) that the table
   schema_migrations does not record (store.c; store_open() runs it with
   store_migrations). 0/-1. */
int store_migrate_list(struct store *store, const struct store_migration *list,
		       const char **error_r);

/* Records the last error of the database (with what) and returns -1. */
int store_fail(struct store *store, const char *what, const char **error_r);
/* Prepares sql (cached per statement text). Returns NULL on error. */
sqlite3_stmt *store_prepare(struct store *store, const char *sql,
			    const char **error_r);
/* Executes a statement without results. 0/-1. */
int store_exec(struct store *store, const char *sql, const char **error_r);
/* Steps st until SQLITE_DONE/ROW handling busy; returns the sqlite code. */
int store_step(struct store *store, sqlite3_stmt *st);

#endif
