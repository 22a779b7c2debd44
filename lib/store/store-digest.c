/*
 * store-digest.c - the queries behind the technicians' digest: customers
 * waiting on us, quiet customers, mail problems. Read only.
 */
#include <stdlib.h>
#include <string.h>

#include "store-private.h"

#define WEEK (7 * 86400)

void
store_digest_issues_free(struct store_digest_issue *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].subject);
		free(v[i].customer_name);
		free(v[i].company);
		free(v[i].state);
	}
	free(v);
}

void
store_digest_customers_free(struct store_digest_customer *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].company);
		free(v[i].phones);
	}
	free(v);
}

void
store_digest_problems_free(struct store_digest_problem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].rcpts);
		free(v[i].error);
	}
	free(v);
}

int
store_digest_waiting_issues(struct store *store, time_t now, long waiting_age,
			    struct store_digest_issue **v_r, size_t *n_r,
			    const char **error_r)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	struct store_digest_issue *v = NULL;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT i.number, i.subject, i.customer_id, c.name, c.company, "
	    "i.state, i.last_customer_at, i.last_ours_at, "
	    "i.state = 'resolved' AS untold FROM issues i "
	    "LEFT JOIN customers c ON c.id = i.customer_id WHERE "
	    "(i.state IN ('open', 'waiting') AND i.last_customer_at IS NOT "
	    "NULL AND (i.last_ours_at IS NULL OR i.last_customer_at > "
	    "i.last_ours_at) AND i.last_customer_at <= ?1) OR "
	    "(i.state = 'resolved' AND i.resolved_told = 0) "
	    "ORDER BY untold, coalesce(i.last_customer_at, i.opened_at), "
	    "i.number",
	    "T", (time_t)(now - waiting_age));
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "digest issues", error_r)) > 0) {
		struct store_digest_issue *it;

		v = store_grow(v, n, &cap, 8, sizeof(*v));
		it = &v[n++];
		memset(it, 0, sizeof(*it));
		it->number = sqlite3_column_int64(st, 0);
		it->subject = store_col_text(st, 1);
		it->customer_id = sqlite3_column_int64(st, 2);
		it->customer_name = store_col_text(st, 3);
		it->company = store_col_text(st, 4);
		it->state = store_col_text(st, 5);
		it->last_customer_at = (time_t)sqlite3_column_int64(st, 6);
		it->last_ours_at = (time_t)sqlite3_column_int64(st, 7);
		it->untold = sqlite3_column_int(st, 8) != 0;
	}
	store_stmt_end(store, st);
	if (r < 0) {
		store_digest_issues_free(v, n);
		return -1;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_digest_quiet_customers(struct store *store, time_t now, long quiet_after,
			     struct store_digest_customer **v_r, size_t *n_r,
			     const char **error_r)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	struct store_digest_customer *v = NULL;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT id, name, company, phones, last FROM ("
	    " SELECT c.id, c.name, c.company, c.phones, c.created_at, "
	    " max(coalesce((SELECT max(received_at) FROM messages m "
	    "   WHERE m.customer_id = c.id), 0), "
	    "  coalesce((SELECT max(max(coalesce(last_customer_at, 0), "
	    "   coalesce(last_ours_at, 0))) FROM issues i "
	    "   WHERE i.customer_id = c.id), 0), "
	    "  coalesce((SELECT max(sent_at) FROM notices n "
	    "   WHERE n.customer = c.id), 0)) AS last "
	    " FROM customers c) "
	    "WHERE (CASE WHEN last > 0 THEN last ELSE created_at END) <= ?1 "
	    "ORDER BY last, id",
	    "T", (time_t)(now - quiet_after));
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "digest quiet customers",
				    error_r)) > 0) {
		struct store_digest_customer *c;

		v = store_grow(v, n, &cap, 8, sizeof(*v));
		c = &v[n++];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		c->name = store_col_text(st, 1);
		c->company = store_col_text(st, 2);
		c->phones = store_col_text(st, 3);
		c->last_contact = (time_t)sqlite3_column_int64(st, 4);
	}
	store_stmt_end(store, st);
	if (r < 0) {
		store_digest_customers_free(v, n);
		return -1;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_digest_mail_problems(struct store *store, time_t now,
			   struct store_digest_problem **v_r, size_t *n_r,
			   const char **error_r)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	struct store_digest_problem *v = NULL;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT CASE WHEN state = 'failed' THEN 'failed' ELSE "
	    "'retrying' END, id, rcpts, coalesce(issue, 0), attempts, "
	    "last_error, coalesce(done_at, created) AS at FROM outbox WHERE "
	    "(state = 'failed' AND coalesce(done_at, created) >= ?1) OR "
	    "(state IN ('queued', 'sending') AND attempts >= 3) "
	    "UNION ALL "
	    "SELECT 'ack-bounced', o.id, o.rcpts, coalesce(o.issue, 0), "
	    "o.attempts, m.failed_recipient, m.received_at FROM messages m "
	    "JOIN outbox o ON o.message_id = m.original_message_id "
	    "WHERE m.class = 'bounce' AND o.kind IN ('ack', 'resolution', "
	    "'vacation') AND "
	    "m.received_at >= ?1 "
	    "UNION ALL "
	    /* one recipient refused, the message went to the others (a
	       message nobody took is "failed" above) */
	    "SELECT 'rcpt-failed', o.id, r.rcpt, coalesce(o.issue, 0), "
	    "o.attempts, r.error, r.at FROM outbox_rcpts r "
	    "JOIN outbox o ON o.id = r.outbox_id "
	    "WHERE r.state = 'failed' AND o.state NOT IN ('failed', "
	    "'dropped') AND r.at >= ?1 "
	    "ORDER BY 7, 2",
	    "T", (time_t)(now - WEEK));
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "digest mail problems",
				    error_r)) > 0) {
		struct store_digest_problem *p;

		v = store_grow(v, n, &cap, 8, sizeof(*v));
		p = &v[n++];
		memset(p, 0, sizeof(*p));
		p->kind = store_col_text(st, 0);
		p->outbox_id = sqlite3_column_int64(st, 1);
		p->rcpts = store_col_text(st, 2);
		p->issue = sqlite3_column_int64(st, 3);
		p->attempts = sqlite3_column_int(st, 4);
		p->error = store_col_text(st, 5);
		p->at = (time_t)sqlite3_column_int64(st, 6);
	}
	store_stmt_end(store, st);
	if (r < 0) {
		store_digest_problems_free(v, n);
		return -1;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}
