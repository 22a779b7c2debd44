/*
 * store-private.h - the SQLite backend's internals, for lib/store only.
 */
#ifndef ACKMAIL_STORE_PRIVATE_H
#define ACKMAIL_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store.h"

struct store_cached_stmt;

struct store {
	sqlite3 *db;
	char *path;
	char *error;
	bool transient;
	int in_tx;
	/* the prepared statements (store-stmt.c) */
	struct store_cached_stmt *stmts;
	size_t stmts_n, stmts_cap;
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
/* Executes SQL without results or parameters (pragmas, transactions,
   migrations; several statements allowed); an error is named by the
   SQL's first line. 0/-1. */
int store_exec(struct store *store, const char *sql, const char **error_r);

/* ---- statements (store-stmt.c) ----
 *
 * Each SQL text is prepared once per store handle and kept in a cache;
 * store_close() finalizes them. A statement is taken with
 * store_stmt_begin() (or inside store_run() and store_row()) and given
 * back with store_stmt_end(), which resets it and clears its bindings: a
 * statement left stepped would hold a read transaction open. The same
 * text taken again before its end (a nested query) gets a statement of
 * its own, finalized at its end. sql should be a literal: the cache keeps
 * one statement per text, without bound but for a safety limit.
 *
 * types names the values that follow it, one letter a value:
 *   t  const char *           text; NULL binds NULL
 *   i  int
 *   I  int64_t
 *   T  time_t
 *   n  int64_t                NULL when 0 (ids and times that may be unset)
 *   b  const void *, size_t   blob; NULL binds NULL
 * Text and blobs are not copied: they must live until the statement's
 * end. The letters must match the statement's parameters (asserted).
 *
 * Errors: a failing prepare is recorded as "prepare", a failing step as
 * the caller's what, both through store_fail(). A locked database waits
 * in SQLite's busy handler (the busy timeout of store_open()); SQLITE_BUSY
 * after it is an error with store_error_transient() true.
 */

/* Takes the statement for sql from the cache (preparing it on first use)
   and binds the values. Returns NULL on error. */
sqlite3_stmt *store_stmt_begin(struct store *store, const char **error_r,
			       const char *sql, const char *types, ...);
/* Steps st: 1 a row is there to read, 0 done, -1 error (as what). */
int store_stmt_next(struct store *store, sqlite3_stmt *st, const char *what,
		    const char **error_r);
/* Resets st, clears its bindings and gives it back to the cache (a
   statement from outside the cache is finalized). NULL is ignored. */
void store_stmt_end(struct store *store, sqlite3_stmt *st);
/* Finalizes the cached statements (store_close()). */
void store_stmt_cache_free(struct store *store);

/* Runs a statement that returns no rows. Returns the number of rows it
   changed (sqlite3_changes()) or -1; anything but SQLITE_DONE is an
   error. */
int store_run(struct store *store, const char *what, const char **error_r,
	      const char *sql, const char *types, ...);
/* Runs a query for its first row. Returns 1 when there is one: with st_r,
   the statement stands on it for the caller to read and store_stmt_end();
   without (NULL), it is ended. Returns 0 when there is none and -1 on
   error; then the statement is ended and *st_r is NULL. */
int store_row(struct store *store, sqlite3_stmt **st_r, const char *what,
	      const char **error_r, const char *sql, const char *types, ...);
/* Runs a query that must return a row (count(*)) and puts its first
   column in *v_r. No row is an error too. 0/-1. */
int store_row_int64(struct store *store, int64_t *v_r, const char *what,
		    const char **error_r, const char *sql, const char *types,
		    ...);

/* Column i of the row as a string of its own, NULL when NULL. */
char *store_col_text(sqlite3_stmt *st, int i);
/* Makes room for element n of the array v of *cap_r elements of size
   bytes: when it is full, first elements, then twice as many. Returns
   the array (moved, maybe). */
void *store_grow(void *v, size_t n, size_t *cap_r, size_t first, size_t size);

#endif
