/*
 * store-imap.c - the state of IMAP polling: per account and mailbox the
 * UIDVALIDITY and the last processed UID; per message (keyed by its
 * Message-ID) what processing decided, so that nothing is processed
 * twice.
 */
#include <stdlib.h>
#include <string.h>

#include "store-private.h"

int
store_imap_state_get(struct store *store, const char *account,
		     const char *mailbox, uint32_t *uidvalidity_r,
		     uint32_t *last_uid_r, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "SELECT uidvalidity, last_uid FROM imap_mailbox "
			  "WHERE account = ? AND mailbox = ?",
			  error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, mailbox, -1, SQLITE_STATIC);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		*uidvalidity_r = (uint32_t)sqlite3_column_int64(st, 0);
		*last_uid_r = (uint32_t)sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap state", error_r);
	return 0;
}

int
store_imap_state_set(struct store *store, const char *account,
		     const char *mailbox, uint32_t uidvalidity,
		     uint32_t last_uid, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "INSERT OR REPLACE INTO imap_mailbox "
			  "(account, mailbox, uidvalidity, last_uid, updated) "
			  "VALUES (?, ?, ?, ?, ?)",
			  error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, mailbox, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, uidvalidity);
	sqlite3_bind_int64(st, 4, last_uid);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)clock_now());
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap state", error_r);
	return 0;
}

int
store_imap_batch_get(struct store *store, const char *account, long *size_r,
		     int *failures_r, int *successes_r, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "SELECT batch, failures, successes FROM imap_link "
			  "WHERE account = ?",
			  error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		*size_r = (long)sqlite3_column_int64(st, 0);
		*failures_r = sqlite3_column_int(st, 1);
		*successes_r = sqlite3_column_int(st, 2);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap batch", error_r);
	return 0;
}

int
store_imap_batch_set(struct store *store, const char *account, long size,
		     int failures, int successes, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "INSERT OR REPLACE INTO imap_link "
			  "(account, batch, failures, successes, updated) "
			  "VALUES (?, ?, ?, ?, ?)",
			  error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int(st, 3, failures);
	sqlite3_bind_int(st, 4, successes);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)clock_now());
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap batch", error_r);
	return 0;
}

void
store_imap_record_free(struct store_imap_record *rec)
{
	free(rec->key);
	free(rec->account);
	free(rec->mailbox);
	free(rec->folders);
	free(rec->flags);
	free(rec->outcome);
	memset(rec, 0, sizeof(*rec));
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

#define RECORD_COLUMNS                                                         \
	"key, account, mailbox, uidvalidity, uid, folders, flags, keep, "      \
	"outcome, at"

static void
record_read(sqlite3_stmt *st, struct store_imap_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->key = col_text(st, 0);
	rec->account = col_text(st, 1);
	rec->mailbox = col_text(st, 2);
	rec->uidvalidity = (uint32_t)sqlite3_column_int64(st, 3);
	rec->uid = (uint32_t)sqlite3_column_int64(st, 4);
	rec->folders = col_text(st, 5);
	rec->flags = col_text(st, 6);
	rec->keep = sqlite3_column_int(st, 7) != 0;
	rec->outcome = col_text(st, 8);
	rec->at = (time_t)sqlite3_column_int64(st, 9);
}

int
store_imap_record_get(struct store *store, const char *key,
		      struct store_imap_record *rec_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(store,
					 "SELECT " RECORD_COLUMNS
					 " FROM imap_processed WHERE key = ?",
					 error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		record_read(st, rec_r);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap record", error_r);
	return 0;
}

int
store_imap_record_add(struct store *store, const struct store_imap_record *rec,
		      const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "INSERT INTO imap_processed (" RECORD_COLUMNS
			  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, rec->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec->mailbox, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, rec->uidvalidity);
	sqlite3_bind_int64(st, 5, rec->uid);
	sqlite3_bind_text(st, 6, rec->folders, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, rec->flags, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, rec->keep ? 1 : 0);
	sqlite3_bind_text(st, 9, rec->outcome != NULL ? rec->outcome : "ok", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)rec->at);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap record", error_r);
	return 0;
}

int
store_imap_record_next(struct store *store, int64_t *iter,
		       struct store_imap_record *rec_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT " RECORD_COLUMNS ", rowid FROM imap_processed "
	    "WHERE rowid > ? ORDER BY rowid LIMIT 1",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, *iter);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		record_read(st, rec_r);
		*iter = sqlite3_column_int64(st, 10);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "imap records", error_r);
	return 0;
}

static int
count_query(struct store *store, const char *sql, int64_t *n_r,
	    const char **error_r)
{
	sqlite3_stmt *st = store_prepare(store, sql, error_r);

	if (st == NULL)
		return -1;
	if (store_step(store, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "count", error_r);
	}
	*n_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
store_imap_counts(struct store *store, int64_t *records_r,
		  int64_t *deliveries_r, int64_t *duplicates_r,
		  const char **error_r)
{
	if (count_query(store, "SELECT count(*) FROM imap_processed", records_r,
			error_r) < 0 ||
	    count_query(store, "SELECT count(*) FROM delivery_log",
			deliveries_r, error_r) < 0 ||
	    count_query(store,
			"SELECT count(*) FROM (SELECT message_id FROM "
			"delivery_log WHERE message_id IS NOT NULL "
			"GROUP BY message_id HAVING count(*) > 1)",
			duplicates_r, error_r) < 0)
		return -1;
	return 0;
}
