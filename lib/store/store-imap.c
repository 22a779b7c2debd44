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
	sqlite3_stmt *st;
	int r = store_row(store, &st, "imap state", error_r,
			  "SELECT uidvalidity, last_uid FROM imap_mailbox "
			  "WHERE account = ? AND mailbox = ?",
			  "tt", account, mailbox);

	if (r > 0) {
		*uidvalidity_r = (uint32_t)sqlite3_column_int64(st, 0);
		*last_uid_r = (uint32_t)sqlite3_column_int64(st, 1);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_imap_state_set(struct store *store, const char *account,
		     const char *mailbox, uint32_t uidvalidity,
		     uint32_t last_uid, const char **error_r)
{
	return store_run(store, "imap state", error_r,
			 "INSERT OR REPLACE INTO imap_mailbox "
			 "(account, mailbox, uidvalidity, last_uid, updated) "
			 "VALUES (?, ?, ?, ?, ?)",
			 "ttIIT", account, mailbox, (int64_t)uidvalidity,
			 (int64_t)last_uid, clock_now()) < 0
		   ? -1
		   : 0;
}

int
store_imap_batch_get(struct store *store, const char *account, long *size_r,
		     int *failures_r, int *successes_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r = store_row(store, &st, "imap batch", error_r,
			  "SELECT batch, failures, successes FROM imap_link "
			  "WHERE account = ?",
			  "t", account);

	if (r > 0) {
		*size_r = (long)sqlite3_column_int64(st, 0);
		*failures_r = sqlite3_column_int(st, 1);
		*successes_r = sqlite3_column_int(st, 2);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_imap_batch_set(struct store *store, const char *account, long size,
		     int failures, int successes, const char **error_r)
{
	return store_run(store, "imap batch", error_r,
			 "INSERT OR REPLACE INTO imap_link "
			 "(account, batch, failures, successes, updated) "
			 "VALUES (?, ?, ?, ?, ?)",
			 "tIiiT", account, (int64_t)size, failures, successes,
			 clock_now()) < 0
		   ? -1
		   : 0;
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

#define RECORD_COLUMNS                                                         \
	"key, account, mailbox, uidvalidity, uid, folders, flags, keep, "      \
	"outcome, at"

static void
record_read(sqlite3_stmt *st, struct store_imap_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->key = store_col_text(st, 0);
	rec->account = store_col_text(st, 1);
	rec->mailbox = store_col_text(st, 2);
	rec->uidvalidity = (uint32_t)sqlite3_column_int64(st, 3);
	rec->uid = (uint32_t)sqlite3_column_int64(st, 4);
	rec->folders = store_col_text(st, 5);
	rec->flags = store_col_text(st, 6);
	rec->keep = sqlite3_column_int(st, 7) != 0;
	rec->outcome = store_col_text(st, 8);
	rec->at = (time_t)sqlite3_column_int64(st, 9);
}

int
store_imap_record_get(struct store *store, const char *key,
		      struct store_imap_record *rec_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r = store_row(store, &st, "imap record", error_r,
			  "SELECT " RECORD_COLUMNS
			  " FROM imap_processed WHERE key = ?",
			  "t", key);

	if (r > 0) {
		record_read(st, rec_r);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_imap_record_add(struct store *store, const struct store_imap_record *rec,
		      const char **error_r)
{
	return store_run(store, "imap record", error_r,
			 "INSERT INTO imap_processed (" RECORD_COLUMNS
			 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 "tttIIttitT", rec->key, rec->account, rec->mailbox,
			 (int64_t)rec->uidvalidity, (int64_t)rec->uid,
			 rec->folders, rec->flags, rec->keep ? 1 : 0,
			 rec->outcome != NULL ? rec->outcome : "ok",
			 rec->at) < 0
		   ? -1
		   : 0;
}

int
store_imap_record_next(struct store *store, int64_t *iter,
		       struct store_imap_record *rec_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r =
	    store_row(store, &st, "imap records", error_r,
		      "SELECT " RECORD_COLUMNS ", rowid FROM imap_processed "
		      "WHERE rowid > ? ORDER BY rowid LIMIT 1",
		      "I", *iter);

	if (r > 0) {
		record_read(st, rec_r);
		*iter = sqlite3_column_int64(st, 10);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_imap_counts(struct store *store, int64_t *records_r,
		  int64_t *deliveries_r, int64_t *duplicates_r,
		  const char **error_r)
{
	if (store_row_int64(store, records_r, "count", error_r,
			    "SELECT count(*) FROM imap_processed", "") < 0 ||
	    store_row_int64(store, deliveries_r, "count", error_r,
			    "SELECT count(*) FROM delivery_log", "") < 0 ||
	    store_row_int64(store, duplicates_r, "count", error_r,
			    "SELECT count(*) FROM (SELECT message_id FROM "
			    "delivery_log WHERE message_id IS NOT NULL "
			    "GROUP BY message_id HAVING count(*) > 1)",
			    "") < 0)
		return -1;
	return 0;
}
