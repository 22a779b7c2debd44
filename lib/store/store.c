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

static int
set_user_version(struct store *store, int v, const char **error_r)
{
	char pragma[64];

	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
	return store_exec(store, pragma, error_r);
}

/* Reads schema_migrations: applied[i] tells whether list[i] is recorded,
   *unknown_r gets a recorded version the list does not have (or 0).
   Returns 1, 0 when the table does not exist yet, -1 on error. */
static int
migrations_read(struct store *store, const struct store_migration *list,
		bool *applied, int *unknown_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	*unknown_r = 0;
	for (size_t i = 0; list[i].sql != NULL; i++)
		applied[i] = false;
	r = sqlite3_prepare_v2(store->db,
			       "SELECT version FROM "
			       "schema_migrations",
			       -1, &st, NULL);
	if (r == SQLITE_ERROR) /* no such table */
		return 0;
	if (r != SQLITE_OK)
		return store_fail(store, "schema_migrations", error_r);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int v = sqlite3_column_int(st, 0);
		size_t i;

		for (i = 0; list[i].sql != NULL && list[i].version != v; i++)
			;
		if (list[i].sql != NULL)
			applied[i] = true;
		else if (v > *unknown_r)
			*unknown_r = v;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "schema_migrations", error_r);
	return 1;
}

/* The migrations of list not yet applied: 0 when none. */
static size_t
migrations_missing(const struct store_migration *list, const bool *applied)
{
	size_t n = 0;

	for (size_t i = 0; list[i].sql != NULL; i++)
		n += !applied[i];
	return n;
}

/* A database made before schema_migrations: what PRAGMA user_version
   says was applied (every listed version up to it) is recorded. */
static int
migrations_import(struct store *store, const struct store_migration *list,
		  const char **error_r)
{
	sqlite3_stmt *st;
	int v;

	if (user_version(store, &v, error_r) < 0)
		return -1;
	if (v == 0)
		return 0;
	if (sqlite3_prepare_v2(store->db,
			       "INSERT OR IGNORE INTO schema_migrations "
			       "(version, applied_at) VALUES (?, 0)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(store, "schema_migrations", error_r);
	for (size_t i = 0; list[i].sql != NULL; i++) {
		if (list[i].version > v)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, list[i].version);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return store_fail(store, "schema_migrations", error_r);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int
migration_apply(struct store *store, const struct store_migration *m,
		const char **error_r)
{
	sqlite3_stmt *st;

	if (store_exec(store, m->sql, error_r) < 0)
		return -1;
	if (sqlite3_prepare_v2(store->db,
			       "INSERT INTO schema_migrations "
			       "(version, applied_at) VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(store, "schema_migrations", error_r);
	sqlite3_bind_int(st, 1, m->version);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)clock_now());
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return store_fail(store, "schema_migrations", error_r);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Applies every migration of list that schema_migrations does not
   record, in the list's order, whatever the versions already applied
   (a branch may add a lower number later). All in one IMMEDIATE
   transaction, so that several deliveries starting at once on a new file
   serialise here and only the first one migrates. A recorded version the
   list does not know is a newer ackmail's: an error. PRAGMA user_version
   keeps the highest version applied, for store_schema_version(). */
int
store_migrate_list(struct store *store, const struct store_migration *list,
		   const char **error_r)
{
	size_t n = 0;
	bool *applied;
	int r, had_table, unknown, top = 0;

	while (list[n].sql != NULL)
		n++;
	applied = xcalloc(n + 1, sizeof(*applied));
	/* the common case, without a write lock: all there */
	r = migrations_read(store, list, applied, &unknown, error_r);
	if (r < 0)
		goto out;
	if (r > 0 && unknown == 0 && migrations_missing(list, applied) == 0) {
		r = 0;
		goto out;
	}
	r = -1;
	if (store_exec(store, "BEGIN IMMEDIATE", error_r) < 0)
		goto out;
	had_table = migrations_read(store, list, applied, &unknown, error_r);
	if (had_table < 0)
		goto fail;
	/* only a database without the table is of the user_version era */
	if (!had_table) {
		if (store_exec(store,
			       "CREATE TABLE IF NOT EXISTS schema_migrations ("
			       "  version INTEGER PRIMARY KEY,"
			       "  applied_at INTEGER NOT NULL"
			       ")",
			       error_r) < 0 ||
		    migrations_import(store, list, error_r) < 0 ||
		    migrations_read(store, list, applied, &unknown, error_r) <
			0)
			goto fail;
	}
	if (unknown != 0) {
		free(store->error);
		store->error = xasprintf("%s: schema version %d is not known "
					 "to this ackmail (a newer one made "
					 "the database)",
					 store->path, unknown);
		store->transient = false;
		*error_r = store->error;
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (!applied[i] &&
		    migration_apply(store, &list[i], error_r) < 0)
			goto fail;
		if (list[i].version > top)
			top = list[i].version;
	}
	if (set_user_version(store, top, error_r) < 0 ||
	    store_exec(store, "COMMIT", error_r) < 0)
		goto fail;
	r = 0;
	goto out;
fail:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
out:
	free(applied);
	return r;
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
	    store_migrate_list(store, store_migrations, error_r) < 0)
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
	store_stmt_cache_free(store);
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
