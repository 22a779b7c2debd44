/*
 * store-sieve.c - the records Sieve needs between messages: vacation
 * replies sent (sender, handle, time: RFC 5230's "not twice within the
 * period") and duplicate ids (RFC 7352).
 */
#include "store-private.h"

int
store_vacation_seen(struct store *store, const char *sender, const char *handle,
		    time_t since, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT 1 FROM sieve_vacation WHERE sender = ? AND handle = ? "
	    "AND sent_at >= ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r != SQLITE_DONE)
		return store_fail(store, "vacation lookup", error_r);
	return 0;
}

int
store_vacation_record(struct store *store, const char *sender,
		      const char *handle, time_t when, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR REPLACE INTO sieve_vacation (sender, handle, sent_at) "
	    "VALUES (?, ?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "vacation record", error_r);
	return 0;
}

int
store_duplicate_seen(struct store *store, const char *id, time_t since,
		     time_t now, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT 1 FROM sieve_duplicate WHERE id = ? AND seen_at >= ? "
	    "AND expires_at > ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r != SQLITE_DONE)
		return store_fail(store, "duplicate lookup", error_r);
	return 0;
}

int
store_duplicate_record(struct store *store, const char *id, time_t when,
		       long seconds, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "DELETE FROM sieve_duplicate WHERE expires_at <= ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)when);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "duplicate expiry", error_r);
	st = store_prepare(store,
			   "INSERT OR REPLACE INTO sieve_duplicate "
			   "(id, seen_at, expires_at) VALUES (?, ?, ?)",
			   error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)when);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(when + seconds));
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "duplicate record", error_r);
	return 0;
}
