/*
 * store.c - the SQLite backend: open, pragmas, migrations, transactions,
 * error classes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store-private.h"

int
store_fail(struct store *store, const char *what, const char **error_r)
{
	int code = sqlite3_extended_errcode(store->db);
	int primary = code & 0xff;

	free(store->error);
	store->error = xasprintf("%s: %s: %s", store->path, what,
				 sqlite3_errmsg(store->db));
	store->transient = primary == SQLITE_BUSY || primary == SQLITE_LOCKED ||
			   primary == SQLITE_IOERR || primary == SQLITE_FULL ||
			   primary == SQLITE_CANTOPEN ||
			   primary == SQLITE_PROTOCOL ||
			   primary == SQLITE_READONLY || primary == SQLITE_PERM;
	if (error_r != NULL)
		*error_r = store->error;
	return -1;
}

bool
store_error_transient(const struct store *store)
{
	return store == NULL || store->transient;
}

sqlite3_stmt *
store_prepare(struct store *store, const char *sql, const char **error_r)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &st, NULL) != SQLITE_OK) {
		store_fail(store, "prepare", error_r);
		return NULL;
	}
	return st;
}

int
store_step(struct store *store, sqlite3_stmt *st)
{
	(void)store;
	/* the busy handler (sqlite3_busy_timeout) does the waiting */
	return sqlite3_step(st);
}

int
store_exec(struct store *store, const char *sql, const char **error_r)
{
	char *err = NULL;

	if (sqlite3_exec(store->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		char what[48];

		sqlite3_free(err);
		/* the statement's head says which step failed */
		snprintf(what, sizeof(what), "%.*s", (int)strcspn(sql, "\n"),
			 sql);
		return store_fail(store, what, error_r);
	}
	return 0;
}

static int
user_version(struct store *store, int *v_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(store, "user_version", error_r);
	r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "user_version", error_r);
	}
	*v_r = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Applies the missing migrations in one IMMEDIATE transaction, so that
   several deliveries starting at once serialise here and only the first
   one migrates. */
static int
store_migrate(struct store *store, const char **error_r)
{
	int v, latest = 0;

	for (size_t i = 0; store_migrations[i].sql != NULL; i++)
		latest = store_migrations[i].version;
	if (user_version(store, &v, error_r) < 0)
		return -1;
	if (v == latest)
		return 0;
	if (v > latest) {
		free(store->error);
		store->error = xasprintf("%s: schema version %d is newer than "
					 "this ackmail (%d)",
					 store->path, v, latest);
		store->transient = false;
		*error_r = store->error;
		return -1;
	}
	if (store_exec(store, "BEGIN IMMEDIATE", error_r) < 0)
		return -1;
	if (user_version(store, &v, error_r) < 0)
		goto fail;
	for (size_t i = 0; store_migrations[i].sql != NULL; i++) {
		char pragma[64];

		if (store_migrations[i].version <= v)
			continue;
		if (store_exec(store, store_migrations[i].sql, error_r) < 0)
			goto fail;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 store_migrations[i].version);
		if (store_exec(store, pragma, error_r) < 0)
			goto fail;
	}
	if (store_exec(store, "COMMIT", error_r) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
store_setup(struct store *store, const char **error_r)
{
	sqlite3_stmt *st;
	bool wal = false;

	/* the journal mode is stored in the file: only the first opener
	   switches it, and that switch needs the database to itself */
	if (sqlite3_prepare_v2(store->db, "PRAGMA journal_mode", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(store, "PRAGMA journal_mode", error_r);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);

		wal = mode != NULL && strcmp(mode, "wal") == 0;
	}
	sqlite3_finalize(st);
	if ((!wal &&
	     store_exec(store, "PRAGMA journal_mode = WAL", error_r) < 0) ||
	    store_exec(store, "PRAGMA synchronous = NORMAL", error_r) < 0 ||
	    /* the kept -wal file is cut back after each checkpoint: a
	       WAL that only grows makes every open slower */
	    store_exec(store, "PRAGMA journal_size_limit = 4194304", error_r) <
		0 ||
	    store_exec(store, "PRAGMA foreign_keys = ON", error_r) < 0 ||
	    store_migrate(store, error_r) < 0)
		return -1;
	return 0;
}

/* SQLite answers SQLITE_BUSY at once, without calling the busy handler,
   where waiting could deadlock: switching the journal mode while another
   connection opens the file, or recovering a WAL someone else is
   recovering. At open nothing is held yet, so waiting here is safe: retry
   the setup until the busy timeout has passed. */
static int
store_setup_retry(struct store *store, long busy_timeout_ms,
		  const char **error_r)
{
	long waited = 0, pause = 5;

	for (;;) {
		if (store_setup(store, error_r) == 0)
			return 0;
		if ((sqlite3_extended_errcode(store->db) & 0xff) !=
			SQLITE_BUSY ||
		    waited >= busy_timeout_ms)
			return -1;
		usleep((useconds_t)pause * 1000);
		waited += pause;
		if (pause < 100)
			pause *= 2;
	}
}

int
store_open(const char *path, long busy_timeout_ms, struct store **store_r,
	   const char **error_r)
{
	static char errbuf[512];
	struct store *store;
	char *dir, *slash;

	*store_r = NULL;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (path_mkdirs(dir, 0700) < 0) {
			snprintf(errbuf, sizeof(errbuf), "mkdir %s: %s", dir,
				 strerror(errno));
			free(dir);
			*error_r = errbuf;
			return -1;
		}
	}
	free(dir);
	store = xcalloc(1, sizeof(*store));
	store->path = xstrdup(path);
	if (sqlite3_open_v2(path, &store->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(errbuf, sizeof(errbuf), "%s: %s", path,
			 store->db != NULL ? sqlite3_errmsg(store->db)
					   : "cannot open");
		*error_r = errbuf;
		sqlite3_close(store->db);
		free(store->path);
		free(store);
		return -1;
	}
	sqlite3_busy_timeout(store->db, (int)busy_timeout_ms);
	{
		/* keep the -wal file when the last connection closes: one
		   process per message would otherwise create and delete it
		   every time */
		int persist = 1;

		sqlite3_file_control(store->db, "main",
				     SQLITE_FCNTL_PERSIST_WAL, &persist);
	}
	sqlite3_extended_result_codes(store->db, 1);
	if (store_setup_retry(store, busy_timeout_ms, error_r) < 0) {
		snprintf(errbuf, sizeof(errbuf), "%s", *error_r);
		*error_r = errbuf;
		store_close(&store);
		return -1;
	}
	*store_r = store;
	return 0;
}

void
store_close(struct store **storep)
{
	struct store *store = *storep;
	sqlite3_stmt *st;

	if (store == NULL)
		return;
	while ((st = sqlite3_next_stmt(store->db, NULL)) != NULL)
		sqlite3_finalize(st);
	sqlite3_close(store->db);
	free(store->error);
	free(store->path);
	free(store);
	*storep = NULL;
}

int
store_schema_version(struct store *store)
{
	int v = -1;
	const char *error;

	if (user_version(store, &v, &error) < 0)
		return -1;
	return v;
}

int
store_begin(struct store *store, const char **error_r)
{
	if (store_exec(store, "BEGIN IMMEDIATE", error_r) < 0)
		return -1;
	store->in_tx = 1;
	return 0;
}

int
store_commit(struct store *store, const char **error_r)
{
	if (store_exec(store, "COMMIT", error_r) < 0)
		return -1;
	store->in_tx = 0;
	return 0;
}

void
store_rollback(struct store *store)
{
	if (store->in_tx)
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	store->in_tx = 0;
}
