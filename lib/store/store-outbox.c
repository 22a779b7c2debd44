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

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

/* Reads the OUTBOX_COLS columns (and data when with_data). */
static void
row_to_item(sqlite3_stmt *st, struct store_outbox_item *it, bool with_data)
{
	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->kind = col_text(st, 1);
	it->env_from = col_text(st, 2);
	it->rcpts = col_text(st, 3);
	it->message_id = col_text(st, 4);
	it->issue = sqlite3_column_int64(st, 5);
	it->created = (time_t)sqlite3_column_int64(st, 6);
	it->state = col_text(st, 7);
	it->attempts = sqlite3_column_int(st, 8);
	it->next_attempt = (time_t)sqlite3_column_int64(st, 9);
	it->claimed_at = (time_t)sqlite3_column_int64(st, 10);
	it->claim_pid = sqlite3_column_int(st, 11);
	it->last_error = col_text(st, 12);
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
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO outbox (kind, env_from, rcpts, data, message_id, "
	    "issue, created, state, attempts, next_attempt) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, item->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item->env_from != NULL ? item->env_from : "",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, item->rcpts, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, item->data, (int)item->len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, item->message_id, -1, SQLITE_STATIC);
	if (item->issue > 0)
		sqlite3_bind_int64(st, 6, item->issue);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)item->created);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)item->created);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "outbox add", error_r);
	if (id_r != NULL)
		*id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

int
store_outbox_claim(struct store *store, time_t now, int pid,
		   struct store_outbox_item *item_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r, found = 0;
	bool own_tx = !store->in_tx;

	if (own_tx && store_begin(store, error_r) < 0)
		return -1;
	st = store_prepare(store,
			   "SELECT " OUTBOX_COLS ", data FROM outbox "
			   "WHERE state = 'queued' AND next_attempt <= ? "
			   "ORDER BY next_attempt, id LIMIT 1",
			   error_r);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		row_to_item(st, item_r, true);
		found = 1;
	} else if (r != SQLITE_DONE) {
		sqlite3_finalize(st);
		store_fail(store, "outbox claim", error_r);
		goto fail;
	}
	sqlite3_finalize(st);
	if (found) {
		st = store_prepare(store,
				   "UPDATE outbox SET state = 'sending', "
				   "claimed_at = ?, claim_pid = ? WHERE id = ?",
				   error_r);
		if (st == NULL)
			goto fail_item;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
		sqlite3_bind_int(st, 2, pid);
		sqlite3_bind_int64(st, 3, item_r->id);
		r = store_step(store, st);
		sqlite3_finalize(st);
		if (r != SQLITE_DONE) {
			store_fail(store, "outbox claim", error_r);
			goto fail_item;
		}
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

/* Runs one UPDATE with (int64 a, text b, int64 id) style binds. */
static int
update3(struct store *store, const char *sql, int64_t a, const char *b,
	int64_t id, const char *what, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(store, sql, error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, what, error_r);
	return sqlite3_changes(store->db) > 0 ? 1 : 0;
}

int
store_outbox_mark_sent(struct store *store, int64_t id, time_t now,
		       const char *note, const char **error_r)
{
	return update3(store,
		       "UPDATE outbox SET state = 'sent', done_at = ?, "
		       "last_error = ?, attempts = attempts + 1 WHERE id = ?",
		       (int64_t)now, note, id, "outbox sent", error_r) < 0
		   ? -1
		   : 0;
}

int
store_outbox_mark_retry(struct store *store, int64_t id, time_t next,
			const char *why, const char **error_r)
{
	return update3(store,
		       "UPDATE outbox SET state = 'queued', next_attempt = ?, "
		       "last_error = ?, attempts = attempts + 1, "
		       "claimed_at = NULL, claim_pid = NULL WHERE id = ?",
		       (int64_t)next, why, id, "outbox retry", error_r) < 0
		   ? -1
		   : 0;
}

int
store_outbox_mark_failed(struct store *store, int64_t id, time_t now,
			 const char *why, const char **error_r)
{
	return update3(store,
		       "UPDATE outbox SET state = 'failed', done_at = ?, "
		       "last_error = ?, attempts = attempts + 1 WHERE id = ?",
		       (int64_t)now, why, id, "outbox failed", error_r) < 0
		   ? -1
		   : 0;
}

int
store_outbox_requeue(struct store *store, int64_t id, const char **error_r)
{
	return update3(store,
		       "UPDATE outbox SET state = 'queued', next_attempt = ?, "
		       "last_error = ?, claimed_at = NULL, claim_pid = NULL "
		       "WHERE id = ? AND state = 'sending'",
		       (int64_t)clock_now(), "flusher died while sending", id,
		       "outbox requeue", error_r) < 0
		   ? -1
		   : 0;
}

int
store_outbox_drop(struct store *store, int64_t id, const char **error_r)
{
	return update3(store,
		       "UPDATE outbox SET state = 'dropped', done_at = ?, "
		       "last_error = coalesce(last_error, ?) "
		       "WHERE id = ? AND state IN ('queued', 'failed')",
		       (int64_t)clock_now(), "dropped", id, "outbox drop",
		       error_r);
}

int
store_outbox_list(struct store *store, const char *state,
		  struct store_outbox_item **items_r, size_t *n_r,
		  const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT " OUTBOX_COLS " FROM outbox WHERE "
	    "(?1 IS NULL AND state NOT IN ('sent', 'dropped')) OR state = ?1 "
	    "ORDER BY id",
	    error_r);
	struct store_outbox_item *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*items_r = NULL;
	*n_r = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		row_to_item(st, &v[n++], false);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		for (size_t i = 0; i < n; i++)
			store_outbox_item_free(&v[i]);
		free(v);
		return store_fail(store, "outbox list", error_r);
	}
	*items_r = v;
	*n_r = n;
	return 0;
}

int64_t
store_outbox_due(struct store *store, time_t now, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "SELECT count(*) FROM outbox WHERE state = 'queued' "
			  "AND next_attempt <= ?",
			  error_r);
	int64_t n;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	if (store_step(store, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "outbox due", error_r);
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
store_outbox_get(struct store *store, int64_t id,
		 struct store_outbox_item *item_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT " OUTBOX_COLS ", data FROM outbox WHERE id = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		row_to_item(st, item_r, true);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "outbox get", error_r);
	return 0;
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
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO outbox_rcpts (outbox_id, rcpt, state, at, error) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (outbox_id, rcpt) DO UPDATE "
	    "SET state = excluded.state, at = excluded.at, "
	    "error = excluded.error",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, rcpt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)at);
	sqlite3_bind_text(st, 5, why, -1, SQLITE_STATIC);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "outbox recipient", error_r);
	return 0;
}

int
store_outbox_rcpts(struct store *store, int64_t id,
		   struct store_outbox_rcpt **v_r, size_t *n_r,
		   const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "SELECT rcpt, state, at, error FROM outbox_rcpts "
			  "WHERE outbox_id = ? ORDER BY at, rowid",
			  error_r);
	struct store_outbox_rcpt *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].rcpt = col_text(st, 0);
		v[n].state = col_text(st, 1);
		v[n].at = (time_t)sqlite3_column_int64(st, 2);
		v[n].error = col_text(st, 3);
		n++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		store_outbox_rcpts_free(v, n);
		return store_fail(store, "outbox recipients", error_r);
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
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO ack_log (sender, issue, at, kind, message_id, "
	    "suppressed, outbox_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sender != NULL ? sender : "", -1,
			  SQLITE_STATIC);
	if (issue > 0)
		sqlite3_bind_int64(st, 2, issue);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, suppressed, -1, SQLITE_STATIC);
	if (outbox_id > 0)
		sqlite3_bind_int64(st, 7, outbox_id);
	else
		sqlite3_bind_null(st, 7);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "ack log", error_r);
	return 0;
}

int64_t
store_ack_count(struct store *store, const char *sender, int64_t issue,
		time_t since, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT count(*) FROM ack_log WHERE suppressed IS NULL "
	    "AND at > ?1 AND (?2 IS NULL OR sender = ?2) "
	    "AND (?3 < 0 OR issue = ?3)",
	    error_r);
	int64_t n;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	sqlite3_bind_text(st, 2, sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, issue);
	if (store_step(store, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "ack count", error_r);
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
