/*
 * store-delivery.c - the delivery log: one row per delivered message.
 */
#include "store-private.h"

int
store_delivery_log(struct store *store, const char *message_id, time_t when,
		   const char *outcome, const char *folders,
		   const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO delivery_log (message_id, at, outcome, folders) "
	    "VALUES (?, ?, ?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)when);
	sqlite3_bind_text(st, 3, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, folders, -1, SQLITE_STATIC);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "delivery log", error_r);
	return 0;
}

int64_t
store_delivery_count(struct store *store, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT count(*) FROM delivery_log", error_r);
	int64_t n;

	if (st == NULL)
		return -1;
	if (store_step(store, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "delivery count", error_r);
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
