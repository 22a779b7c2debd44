/*
 * store-outbox.c - the outbox (every outgoing message, queued before it
 * is submitted) and the acknowledgement log (what was answered or
 * suppressed, for the rate limits).
 *
 * States of an outbox row:
 *   queued  -> sending (claimed by one flushing process, committed)
 *   sending -> sent | queued (retry later) | failed
 *   queued | failed -> dropped (by an administrator)
 */
#include <stdlib.h>
#include <string.h>

#include "store-private.h"

#define OUTBOX_COLS                                                            \
	"id, kind, env_from, rcpts, message_id, issue, created, state, "       \
	"attempts, next_attempt, claimed_at, claim_pid, last_error, done_at"

/* Reads the OUTBOX_COLS columns (and data when with_data). */
static void
row_to_item(sqlite3_stmt *st, struct store_outbox_item *it, bool with_data)
{
	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->kind = store_col_text(st, 1);
	it->env_from = store_col_text(st, 2);
	it->rcpts = store_col_text(st, 3);
	it->message_id = store_col_text(st, 4);
	it->issue = sqlite3_column_int64(st, 5);
	it->created = (time_t)sqlite3_column_int64(st, 6);
	it->state = store_col_text(st, 7);
	it->attempts = sqlite3_column_int(st, 8);
	it->next_attempt = (time_t)sqlite3_column_int64(st, 9);
	it->claimed_at = (time_t)sqlite3_column_int64(st, 10);
	it->claim_pid = sqlite3_column_int(st, 11);
	it->last_error = store_col_text(st, 12);
	it->done_at = (time_t)sqlite3_column_int64(st, 13);
	if (with_data) {
		const void *p = sqlite3_column_blob(st, 14);
		int n = sqlite3_column_bytes(st, 14);

		it->data = xmalloc((size_t)n + 1);
		if (n > 0)
			memcpy(it->data, p, (size_t)n);
		it->data[n] = '\0';
		it->len = (size_t)n;
	}
}

void
store_outbox_item_free(struct store_outbox_item *it)
{
	free(it->kind);
	free(it->env_from);
	free(it->rcpts);
	free(it->data);
	free(it->message_id);
	free(it->state);
	free(it->last_error);
	memset(it, 0, sizeof(*it));
}

int
store_outbox_add(struct store *store, const struct store_outbox_item *item,
		 int64_t *id_r, const char **error_r)
{
	if (store_run(
		store, "outbox add", error_r,
		"INSERT INTO outbox (kind, env_from, rcpts, data, message_id, "
		"issue, created, state, attempts, next_attempt) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)",
		"tttbtnTT", item->kind,
		item->env_from != NULL ? item->env_from : "", item->rcpts,
		item->data, item->len, item->message_id,
		item->issue > 0 ? item->issue : 0, item->created,
		item->created) < 0)
		return -1;
	if (id_r != NULL)
		*id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

int
store_outbox_claim(struct store *store, time_t now, int pid,
		   struct store_outbox_item *item_r, const char **error_r)
{
	sqlite3_stmt *st;
	int found;
	bool own_tx = !store->in_tx;

	if (own_tx && store_begin(store, error_r) < 0)
		return -1;
	found = store_row(store, &st, "outbox claim", error_r,
			  "SELECT " OUTBOX_COLS ", data FROM outbox "
			  "WHERE state = 'queued' AND next_attempt <= ? "
			  "ORDER BY next_attempt, id LIMIT 1",
			  "T", now);
	if (found < 0)
		goto fail;
	if (found) {
		row_to_item(st, item_r, true);
		store_stmt_end(store, st);
		if (store_run(store, "outbox claim", error_r,
			      "UPDATE outbox SET state = 'sending', "
			      "claimed_at = ?, claim_pid = ? WHERE id = ?",
			      "TiI", now, pid, item_r->id) < 0)
			goto fail_item;
		free(item_r->state);
		item_r->state = xstrdup("sending");
		item_r->claimed_at = now;
		item_r->claim_pid = pid;
	}
	if (own_tx && store_commit(store, error_r) < 0) {
		if (found)
			goto fail_item;
		goto fail;
	}
	return found;
fail_item:
	store_outbox_item_free(item_r);
fail:
	if (own_tx)
		store_rollback(store);
	return -1;
}

int
store_outbox_mark_sent(struct store *store, int64_t id, time_t now,
		       const char *note, const char **error_r)
{
	return store_run(store, "outbox sent", error_r,
			 "UPDATE outbox SET state = 'sent', done_at = ?, "
			 "last_error = ?, attempts = attempts + 1 WHERE id = ?",
			 "TtI", now, note, id) < 0
		   ? -1
		   : 0;
}

int
store_outbox_mark_retry(struct store *store, int64_t id, time_t next,
			const char *why, const char **error_r)
{
	return store_run(
		   store, "outbox retry", error_r,
		   "UPDATE outbox SET state = 'queued', next_attempt = ?, "
		   "last_error = ?, attempts = attempts + 1, "
		   "claimed_at = NULL, claim_pid = NULL WHERE id = ?",
		   "TtI", next, why, id) < 0
		   ? -1
		   : 0;
}

int
store_outbox_mark_failed(struct store *store, int64_t id, time_t now,
			 const char *why, const char **error_r)
{
	return store_run(store, "outbox failed", error_r,
			 "UPDATE outbox SET state = 'failed', done_at = ?, "
			 "last_error = ?, attempts = attempts + 1 WHERE id = ?",
			 "TtI", now, why, id) < 0
		   ? -1
		   : 0;
}

int
store_outbox_requeue(struct store *store, int64_t id, const char **error_r)
{
	return store_run(
		   store, "outbox requeue", error_r,
		   "UPDATE outbox SET state = 'queued', next_attempt = ?, "
		   "last_error = ?, claimed_at = NULL, claim_pid = NULL "
		   "WHERE id = ? AND state = 'sending'",
		   "TtI", clock_now(), "flusher died while sending", id) < 0
		   ? -1
		   : 0;
}

int
store_outbox_drop(struct store *store, int64_t id, const char **error_r)
{
	int r = store_run(store, "outbox drop", error_r,
			  "UPDATE outbox SET state = 'dropped', done_at = ?, "
			  "last_error = coalesce(last_error, ?) "
			  "WHERE id = ? AND state IN ('queued', 'failed')",
			  "TtI", clock_now(), "dropped", id);

	return r < 0 ? -1 : r > 0;
}

int
store_outbox_list(struct store *store, const char *state,
		  struct store_outbox_item **items_r, size_t *n_r,
		  const char **error_r)
{
	sqlite3_stmt *st;
	struct store_outbox_item *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*items_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT " OUTBOX_COLS " FROM outbox WHERE "
	    "(?1 IS NULL AND state NOT IN ('sent', 'dropped')) OR state = ?1 "
	    "ORDER BY id",
	    "t", state);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "outbox list", error_r)) > 0) {
		v = store_grow(v, n, &cap, 16, sizeof(*v));
		row_to_item(st, &v[n++], false);
	}
	store_stmt_end(store, st);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			store_outbox_item_free(&v[i]);
		free(v);
		return -1;
	}
	*items_r = v;
	*n_r = n;
	return 0;
}

int64_t
store_outbox_due(struct store *store, time_t now, const char **error_r)
{
	int64_t n;

	if (store_row_int64(
		store, &n, "outbox due", error_r,
		"SELECT count(*) FROM outbox WHERE state = 'queued' "
		"AND next_attempt <= ?",
		"T", now) < 0)
		return -1;
	return n;
}

int
store_outbox_get(struct store *store, int64_t id,
		 struct store_outbox_item *item_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r = store_row(
	    store, &st, "outbox get", error_r,
	    "SELECT " OUTBOX_COLS ", data FROM outbox WHERE id = ?", "I", id);

	if (r > 0) {
		row_to_item(st, item_r, true);
		store_stmt_end(store, st);
	}
	return r;
}

void
store_outbox_rcpts_free(struct store_outbox_rcpt *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rcpt);
		free(v[i].state);
		free(v[i].error);
	}
	free(v);
}

int
store_outbox_rcpt_mark(struct store *store, int64_t id, const char *rcpt,
		       const char *state, time_t at, const char *why,
		       const char **error_r)
{
	return store_run(store, "outbox recipient", error_r,
			 "INSERT INTO outbox_rcpts (outbox_id, rcpt, state, "
			 "at, error) "
			 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (outbox_id, rcpt) "
			 "DO UPDATE "
			 "SET state = excluded.state, at = excluded.at, "
			 "error = excluded.error",
			 "IttTt", id, rcpt, state, at, why) < 0
		   ? -1
		   : 0;
}

int
store_outbox_rcpts(struct store *store, int64_t id,
		   struct store_outbox_rcpt **v_r, size_t *n_r,
		   const char **error_r)
{
	sqlite3_stmt *st;
	struct store_outbox_rcpt *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(store, error_r,
			      "SELECT rcpt, state, at, error FROM outbox_rcpts "
			      "WHERE outbox_id = ? ORDER BY at, rowid",
			      "I", id);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "outbox recipients", error_r)) >
	       0) {
		v = store_grow(v, n, &cap, 8, sizeof(*v));
		v[n].rcpt = store_col_text(st, 0);
		v[n].state = store_col_text(st, 1);
		v[n].at = (time_t)sqlite3_column_int64(st, 2);
		v[n].error = store_col_text(st, 3);
		n++;
	}
	store_stmt_end(store, st);
	if (r < 0) {
		store_outbox_rcpts_free(v, n);
		return -1;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_ack_log_add(struct store *store, const char *sender, int64_t issue,
		  time_t at, const char *kind, const char *message_id,
		  const char *suppressed, int64_t outbox_id,
		  const char **error_r)
{
	return store_run(store, "ack log", error_r,
			 "INSERT INTO ack_log (sender, issue, at, kind, "
			 "message_id, suppressed, outbox_id) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?)",
			 "tnTtttn", sender != NULL ? sender : "",
			 issue > 0 ? issue : 0, at, kind, message_id,
			 suppressed, outbox_id > 0 ? outbox_id : 0) < 0
		   ? -1
		   : 0;
}

int64_t
store_ack_count(struct store *store, const char *sender, int64_t issue,
		time_t since, const char **error_r)
{
	int64_t n;

	if (store_row_int64(store, &n, "ack count", error_r,
			    "SELECT count(*) FROM ack_log WHERE suppressed IS "
			    "NULL AND at > ?1 AND (?2 IS NULL OR sender = ?2) "
			    "AND (?3 < 0 OR issue = ?3)",
			    "TtI", since, sender, issue) < 0)
		return -1;
	return n;
}
