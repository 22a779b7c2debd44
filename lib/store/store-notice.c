/*
 * store-notice.c - change notices and their history (migration 30).
 */
#include <stdlib.h>
#include <string.h>

#include "store-private.h"

#define NOTICE_COLUMNS                                                         \
	"id, customer, issue, to_addr, cc, subject, message_id, sender, "      \
	"source, sent_at, deadline, change_at, state, reason, escalated_at, "  \
	"away_until, ack_by, ack_at, ack_excerpt, reminded_at, updated_at, "   \
	"to_name"

void
store_notice_clear(struct store_notice *n)
{
	xfree(n->to);
	xfree(n->to_name);
	xfree(n->cc);
	xfree(n->subject);
	xfree(n->message_id);
	xfree(n->sender);
	xfree(n->source);
	xfree(n->state);
	xfree(n->reason);
	xfree(n->ack_by);
	xfree(n->ack_excerpt);
	memset(n, 0, sizeof(*n));
}

void
store_notice_list_free(struct store_notice_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_notice_clear(&list->v[i]);
	xfree(list->v);
	list->n = list->cap = 0;
}

void
store_notice_event_list_free(struct store_notice_event_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		xfree(list->v[i].state);
		xfree(list->v[i].note);
		xfree(list->v[i].message_id);
	}
	xfree(list->v);
	list->n = list->cap = 0;
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_int_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void
row_to_notice(sqlite3_stmt *st, struct store_notice *n)
{
	memset(n, 0, sizeof(*n));
	n->id = sqlite3_column_int64(st, 0);
	n->customer = sqlite3_column_int64(st, 1);
	n->issue = sqlite3_column_int64(st, 2);
	n->to = col_text(st, 3);
	n->cc = col_text(st, 4);
	n->subject = col_text(st, 5);
	n->message_id = col_text(st, 6);
	n->sender = col_text(st, 7);
	n->source = col_text(st, 8);
	n->sent_at = (time_t)sqlite3_column_int64(st, 9);
	n->deadline = (time_t)sqlite3_column_int64(st, 10);
	n->change_at = (time_t)sqlite3_column_int64(st, 11);
	n->state = col_text(st, 12);
	n->reason = col_text(st, 13);
	n->escalated_at = (time_t)sqlite3_column_int64(st, 14);
	n->away_until = (time_t)sqlite3_column_int64(st, 15);
	n->ack_by = col_text(st, 16);
	n->ack_at = (time_t)sqlite3_column_int64(st, 17);
	n->ack_excerpt = col_text(st, 18);
	n->reminded_at = (time_t)sqlite3_column_int64(st, 19);
	n->updated_at = (time_t)sqlite3_column_int64(st, 20);
	n->to_name = col_text(st, 21);
}

int
store_notice_add(struct store *store, struct store_notice *n,
		 const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	st = store_prepare(store,
			   "INSERT INTO notices (customer, issue, to_addr, cc, "
			   "subject, message_id, sender, source, sent_at, "
			   "deadline, change_at, state, updated_at, to_name) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
			   "ON CONFLICT (message_id, to_addr) DO NOTHING",
			   error_r);
	if (st == NULL)
		return -1;
	bind_int_or_null(st, 1, n->customer);
	bind_int_or_null(st, 2, n->issue);
	sqlite3_bind_text(st, 3, n->to, -1, SQLITE_STATIC);
	bind_text_or_null(st, 4, n->cc);
	sqlite3_bind_text(st, 5, n->subject != NULL ? n->subject : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 6, n->message_id, -1, SQLITE_STATIC);
	bind_text_or_null(st, 7, n->sender);
	sqlite3_bind_text(st, 8, n->source != NULL ? n->source : "send", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)n->sent_at);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)n->deadline);
	bind_int_or_null(st, 11, (int64_t)n->change_at);
	sqlite3_bind_text(st, 12, n->state != NULL ? n->state : "waiting", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)n->sent_at);
	bind_text_or_null(st, 14, n->to_name);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "add notice", error_r);
	if (sqlite3_changes(store->db) == 1) {
		n->id = sqlite3_last_insert_rowid(store->db);
		return 1;
	}
	st = store_prepare(
	    store,
	    "SELECT id FROM notices WHERE message_id = ? AND to_addr = ?",
	    error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, n->message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, n->to, -1, SQLITE_STATIC);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		n->id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r != SQLITE_ROW)
		return store_fail(store, "find notice", error_r);
	return 0;
}

int
store_notice_update(struct store *store, const struct store_notice *n,
		    const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	st = store_prepare(store,
			   "UPDATE notices SET state = ?, reason = ?, "
			   "escalated_at = ?, away_until = ?, ack_by = ?, "
			   "ack_at = ?, ack_excerpt = ?, reminded_at = ?, "
			   "deadline = ?, updated_at = ? WHERE id = ?",
			   error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, n->state, -1, SQLITE_STATIC);
	bind_text_or_null(st, 2, n->reason);
	bind_int_or_null(st, 3, (int64_t)n->escalated_at);
	bind_int_or_null(st, 4, (int64_t)n->away_until);
	bind_text_or_null(st, 5, n->ack_by);
	bind_int_or_null(st, 6, (int64_t)n->ack_at);
	bind_text_or_null(st, 7, n->ack_excerpt);
	bind_int_or_null(st, 8, (int64_t)n->reminded_at);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)n->deadline);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)n->updated_at);
	sqlite3_bind_int64(st, 11, n->id);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "update notice", error_r);
	return 0;
}

int
store_notice_find(struct store *store, const struct store_notice_query *q,
		  struct store_notice_list *list, const char **error_r)
{
	sqlite3_stmt *st;
	int r, count = 0;

	st = store_prepare(
	    store,
	    "SELECT " NOTICE_COLUMNS " FROM notices WHERE "
	    "(?1 IS NULL OR id = ?1) AND "
	    "(?2 IS NULL OR instr(',' || ?2 || ',', ',' || state || ',') > 0) "
	    "AND (?3 IS NULL OR message_id = ?3) AND "
	    "(?4 IS NULL OR issue = ?4) AND "
	    "(?5 IS NULL OR deadline <= ?5) AND "
	    "(?6 = 0 OR (escalated_at IS NOT NULL AND state IN "
	    "('away', 'undeliverable', 'escalated'))) AND "
	    "(?7 IS NULL OR id IN (SELECT notice FROM notice_events WHERE "
	    "message_id = ?7 AND note = 'reminder sent')) "
	    "ORDER BY deadline, id",
	    error_r);
	if (st == NULL)
		return -1;
	bind_int_or_null(st, 1, q->id);
	bind_text_or_null(st, 2, q->states);
	bind_text_or_null(st, 3, q->message_id);
	bind_int_or_null(st, 4, q->issue);
	bind_int_or_null(st, 5, (int64_t)q->deadline_before);
	sqlite3_bind_int(st, 6, q->escalated ? 1 : 0);
	bind_text_or_null(st, 7, q->reminder_id);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		if (list->n == list->cap) {
			list->cap = list->cap == 0 ? 16 : list->cap * 2;
			list->v =
			    xreallocarray(list->v, list->cap, sizeof(*list->v));
		}
		row_to_notice(st, &list->v[list->n++]);
		count++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "find notices", error_r);
	return count;
}

int
store_notice_event(struct store *store, int64_t id, time_t at,
		   const char *state, const char *note, const char *message_id,
		   const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	st =
	    store_prepare(store,
			  "INSERT INTO notice_events (notice, at, state, note, "
			  "message_id) VALUES (?, ?, ?, ?, ?)",
			  error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	bind_text_or_null(st, 4, note);
	bind_text_or_null(st, 5, message_id);
	r = store_step(store, st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "notice event", error_r);
	return 0;
}

int
store_notice_events(struct store *store, int64_t id,
		    struct store_notice_event_list *list, const char **error_r)
{
	sqlite3_stmt *st;
	int r, count = 0;

	st = store_prepare(store,
			   "SELECT at, state, note, message_id FROM "
			   "notice_events WHERE notice = ? ORDER BY id",
			   error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		struct store_notice_event *e;

		if (list->n == list->cap) {
			list->cap = list->cap == 0 ? 8 : list->cap * 2;
			list->v =
			    xreallocarray(list->v, list->cap, sizeof(*list->v));
		}
		e = &list->v[list->n++];
		e->at = (time_t)sqlite3_column_int64(st, 0);
		e->state = col_text(st, 1);
		e->note = col_text(st, 2);
		e->message_id = col_text(st, 3);
		count++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "notice events", error_r);
	return count;
}

int
store_notice_later_mail(struct store *store, const char *addr, time_t after,
			time_t before, const char **error_r)
{
	sqlite3_stmt *st;
	int r, found;

	st = store_prepare(
	    store,
	    "SELECT 1 FROM messages m WHERE m.direction = 'out' AND "
	    "m.received_at > ?1 AND m.received_at <= ?2 AND "
	    "instr(', ' || lower(coalesce(m.to_addrs, '')) || ',', "
	    "', ' || lower(?3) || ',') > 0 AND NOT EXISTS "
	    "(SELECT 1 FROM notices n WHERE n.message_id = m.message_id) "
	    "LIMIT 1",
	    error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)before);
	sqlite3_bind_text(st, 3, addr, -1, SQLITE_STATIC);
	r = store_step(store, st);
	found = r == SQLITE_ROW;
	sqlite3_finalize(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_fail(store, "later mail", error_r);
	return found ? 1 : 0;
}
