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

static void
row_to_notice(sqlite3_stmt *st, struct store_notice *n)
{
	memset(n, 0, sizeof(*n));
	n->id = sqlite3_column_int64(st, 0);
	n->customer = sqlite3_column_int64(st, 1);
	n->issue = sqlite3_column_int64(st, 2);
	n->to = store_col_text(st, 3);
	n->cc = store_col_text(st, 4);
	n->subject = store_col_text(st, 5);
	n->message_id = store_col_text(st, 6);
	n->sender = store_col_text(st, 7);
	n->source = store_col_text(st, 8);
	n->sent_at = (time_t)sqlite3_column_int64(st, 9);
	n->deadline = (time_t)sqlite3_column_int64(st, 10);
	n->change_at = (time_t)sqlite3_column_int64(st, 11);
	n->state = store_col_text(st, 12);
	n->reason = store_col_text(st, 13);
	n->escalated_at = (time_t)sqlite3_column_int64(st, 14);
	n->away_until = (time_t)sqlite3_column_int64(st, 15);
	n->ack_by = store_col_text(st, 16);
	n->ack_at = (time_t)sqlite3_column_int64(st, 17);
	n->ack_excerpt = store_col_text(st, 18);
	n->reminded_at = (time_t)sqlite3_column_int64(st, 19);
	n->updated_at = (time_t)sqlite3_column_int64(st, 20);
	n->to_name = store_col_text(st, 21);
}

int
store_notice_add(struct store *store, struct store_notice *n,
		 const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	r = store_run(store, "add notice", error_r,
		      "INSERT INTO notices (customer, issue, to_addr, cc, "
		      "subject, message_id, sender, source, sent_at, "
		      "deadline, change_at, state, updated_at, to_name) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		      "ON CONFLICT (message_id, to_addr) DO NOTHING",
		      "nnttttttTTntTt", n->customer, n->issue, n->to, n->cc,
		      n->subject != NULL ? n->subject : "", n->message_id,
		      n->sender, n->source != NULL ? n->source : "send",
		      n->sent_at, n->deadline, (int64_t)n->change_at,
		      n->state != NULL ? n->state : "waiting", n->sent_at,
		      n->to_name);
	if (r < 0)
		return -1;
	if (r == 1) {
		n->id = sqlite3_last_insert_rowid(store->db);
		return 1;
	}
	r = store_row(
	    store, &st, "find notice", error_r,
	    "SELECT id FROM notices WHERE message_id = ? AND to_addr = ?", "tt",
	    n->message_id, n->to);
	if (r < 0)
		return -1;
	if (r == 0)
		return store_fail(store, "find notice", error_r);
	n->id = sqlite3_column_int64(st, 0);
	store_stmt_end(store, st);
	return 0;
}

int
store_notice_update(struct store *store, const struct store_notice *n,
		    const char **error_r)
{
	return store_run(store, "update notice", error_r,
			 "UPDATE notices SET state = ?, reason = ?, "
			 "escalated_at = ?, away_until = ?, ack_by = ?, "
			 "ack_at = ?, ack_excerpt = ?, reminded_at = ?, "
			 "deadline = ?, updated_at = ? WHERE id = ?",
			 "ttnntntnTTI", n->state, n->reason,
			 (int64_t)n->escalated_at, (int64_t)n->away_until,
			 n->ack_by, (int64_t)n->ack_at, n->ack_excerpt,
			 (int64_t)n->reminded_at, n->deadline, n->updated_at,
			 n->id) < 0
		   ? -1
		   : 0;
}

int
store_notice_find(struct store *store, const struct store_notice_query *q,
		  struct store_notice_list *list, const char **error_r)
{
	sqlite3_stmt *st;
	int r, count = 0;

	st = store_stmt_begin(
	    store, error_r,
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
	    "nttnnit", q->id, q->states, q->message_id, q->issue,
	    (int64_t)q->deadline_before, q->escalated ? 1 : 0, q->reminder_id);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "find notices", error_r)) > 0) {
		list->v = store_grow(list->v, list->n, &list->cap, 16,
				     sizeof(*list->v));
		row_to_notice(st, &list->v[list->n++]);
		count++;
	}
	store_stmt_end(store, st);
	return r < 0 ? -1 : count;
}

int
store_notice_event(struct store *store, int64_t id, time_t at,
		   const char *state, const char *note, const char *message_id,
		   const char **error_r)
{
	return store_run(store, "notice event", error_r,
			 "INSERT INTO notice_events (notice, at, state, note, "
			 "message_id) VALUES (?, ?, ?, ?, ?)",
			 "ITttt", id, at, state, note, message_id) < 0
		   ? -1
		   : 0;
}

int
store_notice_events(struct store *store, int64_t id,
		    struct store_notice_event_list *list, const char **error_r)
{
	sqlite3_stmt *st;
	int r, count = 0;

	st = store_stmt_begin(store, error_r,
			      "SELECT at, state, note, message_id FROM "
			      "notice_events WHERE notice = ? ORDER BY id",
			      "I", id);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "notice events", error_r)) > 0) {
		struct store_notice_event *e;

		list->v = store_grow(list->v, list->n, &list->cap, 8,
				     sizeof(*list->v));
		e = &list->v[list->n++];
		e->at = (time_t)sqlite3_column_int64(st, 0);
		e->state = store_col_text(st, 1);
		e->note = store_col_text(st, 2);
		e->message_id = store_col_text(st, 3);
		count++;
	}
	store_stmt_end(store, st);
	return r < 0 ? -1 : count;
}

int
store_notice_later_mail(struct store *store, const char *addr, time_t after,
			time_t before, const char **error_r)
{
	return store_row(
	    store, NULL, "later mail", error_r,
	    "SELECT 1 FROM messages m WHERE m.direction = 'out' AND "
	    "m.received_at > ?1 AND m.received_at <= ?2 AND "
	    "instr(', ' || lower(coalesce(m.to_addrs, '')) || ',', "
	    "', ' || lower(?3) || ',') > 0 AND NOT EXISTS "
	    "(SELECT 1 FROM notices n WHERE n.message_id = m.message_id) "
	    "LIMIT 1",
	    "TTt", after, before, addr);
}
