/*
 * store-support.c - the support core's tables: customers and their
 * addresses, issues and their tags and foreign ticket numbers, every
 * message seen and the Message-IDs known to belong to an issue.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store-private.h"

/* ---- small helpers ---- */

static char *
col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

static void
bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Runs a statement that returns no rows; returns the number of changed
   rows or -1. Finalizes st. */
static int
run_done(struct store *store, sqlite3_stmt *st, const char *what,
	 const char **error_r)
{
	int r = store_step(store, st);

	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, what, error_r);
	return sqlite3_changes(store->db);
}

static char *
addr_key(const char *address)
{
	char *a = str_trim(str_lower(xstrdup(address)));
	size_t n = strlen(a);

	if (n > 1 && a[0] == '<' && a[n - 1] == '>') {
		memmove(a, a + 1, n - 2);
		a[n - 2] = '\0';
	}
	return a;
}

/* ---- customers ---- */

void
store_customer_clear(struct store_customer *c)
{
	free(c->name);
	free(c->company);
	free(c->phones);
	free(c->notes);
	strlist_free(&c->addresses);
	memset(c, 0, sizeof(*c));
}

int
store_customer_add_address(struct store *store, int64_t id, const char *address,
			   bool move, const char **error_r)
{
	char *key = addr_key(address);
	sqlite3_stmt *st;
	int r;

	st = store_prepare(store,
			   "SELECT customer_id FROM customer_addresses "
			   "WHERE address = ?",
			   error_r);
	if (st == NULL)
		goto fail;
	bind_str(st, 1, key);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		int64_t owner = sqlite3_column_int64(st, 0);

		sqlite3_finalize(st);
		if (owner == id) {
			free(key);
			return 0;
		}
		if (!move) {
			free(store->error);
			store->error = xasprintf(
			    "address %s already belongs to customer %lld", key,
			    (long long)owner);
			store->transient = false;
			*error_r = store->error;
			goto fail;
		}
		st = store_prepare(store,
				   "UPDATE customer_addresses SET customer_id "
				   "= ? WHERE address = ?",
				   error_r);
	} else {
		sqlite3_finalize(st);
		if (r != SQLITE_DONE) {
			store_fail(store, "customer address", error_r);
			goto fail;
		}
		st = store_prepare(store,
				   "INSERT INTO customer_addresses "
				   "(customer_id, address) VALUES (?, ?)",
				   error_r);
	}
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, key);
	free(key);
	return run_done(store, st, "customer address", error_r) < 0 ? -1 : 1;
fail:
	free(key);
	return -1;
}

int
store_customer_remove_address(struct store *store, int64_t id,
			      const char *address, const char **error_r)
{
	char *key = addr_key(address);
	sqlite3_stmt *st = store_prepare(
	    store,
	    "DELETE FROM customer_addresses WHERE customer_id = ? AND "
	    "address = ?",
	    error_r);
	int r;

	if (st == NULL) {
		free(key);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, key);
	r = run_done(store, st, "remove address", error_r);
	free(key);
	return r < 0 ? -1 : r > 0;
}

int
store_customer_add(struct store *store, const struct store_customer *c,
		   int64_t *id_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO customers (name, company, phones, notes, vip, "
	    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	    error_r);

	if (st == NULL)
		return -1;
	bind_str(st, 1, c->name != NULL ? c->name : "");
	bind_str(st, 2, c->company);
	bind_str(st, 3, c->phones);
	bind_str(st, 4, c->notes);
	sqlite3_bind_int(st, 5, c->vip);
	sqlite3_bind_int64(st, 6,
			   c->created_at != 0 ? c->created_at : clock_now());
	if (run_done(store, st, "add customer", error_r) < 0)
		return -1;
	*id_r = sqlite3_last_insert_rowid(store->db);
	for (size_t i = 0; i < c->addresses.n; i++)
		if (store_customer_add_address(store, *id_r, c->addresses.v[i],
					       false, error_r) < 0)
			return -1;
	return 0;
}

int
store_customer_update(struct store *store, const struct store_customer *c,
		      const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE customers SET name = ?, company = ?, phones = ?, "
	    "notes = ?, vip = ? WHERE id = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, c->name != NULL ? c->name : "");
	bind_str(st, 2, c->company);
	bind_str(st, 3, c->phones);
	bind_str(st, 4, c->notes);
	sqlite3_bind_int(st, 5, c->vip);
	sqlite3_bind_int64(st, 6, c->id);
	r = run_done(store, st, "update customer", error_r);
	return r < 0 ? -1 : r > 0;
}

static int
customer_addresses(struct store *store, struct store_customer *c,
		   const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT address FROM customer_addresses WHERE customer_id = ? "
	    "ORDER BY address LIKE '@%', address",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while ((r = store_step(store, st)) == SQLITE_ROW)
		strlist_add(&c->addresses,
			    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "customer addresses", error_r);
	return 0;
}

#define CUSTOMER_COLS "id, name, company, phones, notes, vip, created_at"

static void
customer_row(sqlite3_stmt *st, struct store_customer *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->name = col_str(st, 1);
	c->company = col_str(st, 2);
	c->phones = col_str(st, 3);
	c->notes = col_str(st, 4);
	c->vip = sqlite3_column_int(st, 5) != 0;
	c->created_at = (time_t)sqlite3_column_int64(st, 6);
}

int
store_customer_get(struct store *store, int64_t id, struct store_customer *c_r,
		   const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?",
	    error_r);
	int r;

	memset(c_r, 0, sizeof(*c_r));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		customer_row(st, c_r);
	sqlite3_finalize(st);
	if (r == SQLITE_DONE)
		return 0;
	if (r != SQLITE_ROW)
		return store_fail(store, "get customer", error_r);
	if (customer_addresses(store, c_r, error_r) < 0) {
		store_customer_clear(c_r);
		return -1;
	}
	return 1;
}

static int
find_address(struct store *store, const char *key, int64_t *id_r,
	     const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT customer_id FROM customer_addresses WHERE address = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, key);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*id_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "find customer", error_r);
}

int
store_customer_find(struct store *store, const char *address, int64_t *id_r,
		    const char **error_r)
{
	char *key = addr_key(address);
	const char *at = strrchr(key, '@');
	int r;

	*id_r = 0;
	r = find_address(store, key, id_r, error_r);
	if (r == 0 && at != NULL && at != key)
		r = find_address(store, at, id_r, error_r);
	free(key);
	return r;
}

int
store_customer_find_name(struct store *store, const char *name, int64_t *id_r,
			 const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT id FROM customers WHERE name = ? COLLATE NOCASE LIMIT 2",
	    error_r);
	struct str key = STR_INIT;
	int r, found = 0;
	bool space = false;

	*id_r = 0;
	if (st == NULL)
		return -1;
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '"') {
			space = key.len > 0 && *p != '"';
			continue;
		}
		if (space)
			str_appendc(&key, ' ');
		space = false;
		str_appendc(&key, *p);
	}
	if (key.len == 0) {
		sqlite3_finalize(st);
		str_free(&key);
		return 0;
	}
	bind_str(st, 1, str_c(&key));
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(st, 0);
		found++;
	}
	sqlite3_finalize(st);
	str_free(&key);
	if (r != SQLITE_DONE)
		return store_fail(store, "find customer by name", error_r);
	if (found != 1)
		*id_r = 0;
	return found == 1;
}

int
store_customer_list(struct store *store, struct store_customer **v_r,
		    size_t *n_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT " CUSTOMER_COLS " FROM customers ORDER BY id",
	    error_r);
	struct store_customer *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	if (st == NULL)
		return -1;
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		customer_row(st, &v[n++]);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		store_fail(store, "list customers", error_r);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (customer_addresses(store, &v[i], error_r) < 0)
			goto fail;
	*v_r = v;
	*n_r = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		store_customer_clear(&v[i]);
	free(v);
	return -1;
}

/* ---- issues ---- */

static const char *const issue_state_names[] = {
    [STORE_ISSUE_OPEN] = "open",
    [STORE_ISSUE_WAITING] = "waiting",
    [STORE_ISSUE_RESOLVED] = "resolved",
    [STORE_ISSUE_CLOSED] = "closed",
};

const char *
store_issue_state_name(enum store_issue_state state)
{
	if ((size_t)state >= N_ELEMENTS(issue_state_names))
		return "open";
	return issue_state_names[state];
}

int
store_issue_state_parse(const char *name, enum store_issue_state *state_r)
{
	for (size_t i = 0; i < N_ELEMENTS(issue_state_names); i++)
		if (strcasecmp(name, issue_state_names[i]) == 0) {
			*state_r = (enum store_issue_state)i;
			return 0;
		}
	if (strcasecmp(name, "waiting-on-customer") == 0 ||
	    strcasecmp(name, "waiting_on_customer") == 0) {
		*state_r = STORE_ISSUE_WAITING;
		return 0;
	}
	return -1;
}

void
store_issue_clear(struct store_issue *issue)
{
	free(issue->subject);
	free(issue->queue);
	free(issue->opener);
	memset(issue, 0, sizeof(*issue));
}

static void
bind_time(sqlite3_stmt *st, int i, time_t t)
{
	if (t == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, (sqlite3_int64)t);
}

int
store_issue_create(struct store *store, const struct store_issue *issue,
		   int64_t first_number, int64_t *number_r,
		   const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store, "SELECT max(number) FROM issues", error_r);
	int64_t number = first_number > 0 ? first_number : 1;
	int r;

	if (st == NULL)
		return -1;
	r = store_step(store, st);
	if (r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 0) + 1 > number)
		number = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	if (r != SQLITE_ROW)
		return store_fail(store, "next issue number", error_r);
	st = store_prepare(
	    store,
	    "INSERT INTO issues (number, customer_id, subject, state, "
	    "queue, opener, opened_at, closed_at, last_customer_at, "
	    "last_ours_at, linked_issue, resolved_told) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    error_r);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, number);
	bind_id(st, 2, issue->customer_id);
	bind_str(st, 3, issue->subject != NULL ? issue->subject : "");
	bind_str(st, 4, store_issue_state_name(issue->state));
	bind_str(st, 5, issue->queue != NULL ? issue->queue : "support");
	bind_str(st, 6, issue->opener);
	sqlite3_bind_int64(
	    st, 7, issue->opened_at != 0 ? issue->opened_at : clock_now());
	bind_time(st, 8, issue->closed_at);
	bind_time(st, 9, issue->last_customer_at);
	bind_time(st, 10, issue->last_ours_at);
	bind_id(st, 11, issue->linked_issue);
	sqlite3_bind_int(st, 12, issue->resolved_told);
	if (run_done(store, st, "create issue", error_r) < 0)
		return -1;
	*number_r = number;
	return 0;
}

#define ISSUE_COLS                                                             \
	"number, customer_id, subject, state, queue, opener, opened_at, "      \
	"closed_at, last_customer_at, last_ours_at, linked_issue, "            \
	"resolved_told"

static void
issue_row(sqlite3_stmt *st, struct store_issue *is)
{
	const char *state = (const char *)sqlite3_column_text(st, 3);

	memset(is, 0, sizeof(*is));
	is->number = sqlite3_column_int64(st, 0);
	is->customer_id = sqlite3_column_int64(st, 1);
	is->subject = col_str(st, 2);
	if (state == NULL || store_issue_state_parse(state, &is->state) < 0)
		is->state = STORE_ISSUE_OPEN;
	is->queue = col_str(st, 4);
	is->opener = col_str(st, 5);
	is->opened_at = (time_t)sqlite3_column_int64(st, 6);
	is->closed_at = (time_t)sqlite3_column_int64(st, 7);
	is->last_customer_at = (time_t)sqlite3_column_int64(st, 8);
	is->last_ours_at = (time_t)sqlite3_column_int64(st, 9);
	is->linked_issue = sqlite3_column_int64(st, 10);
	is->resolved_told = sqlite3_column_int(st, 11) != 0;
}

int
store_issue_get(struct store *store, int64_t number,
		struct store_issue *issue_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT " ISSUE_COLS " FROM issues WHERE number = ?",
	    error_r);
	int r;

	memset(issue_r, 0, sizeof(*issue_r));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, number);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		issue_row(st, issue_r);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "get issue", error_r);
}

int
store_issue_update(struct store *store, const struct store_issue *issue,
		   const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE issues SET customer_id = ?, subject = ?, state = ?, "
	    "queue = ?, opener = ?, closed_at = ?, last_customer_at = ?, "
	    "last_ours_at = ?, linked_issue = ?, resolved_told = ? "
	    "WHERE number = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_id(st, 1, issue->customer_id);
	bind_str(st, 2, issue->subject != NULL ? issue->subject : "");
	bind_str(st, 3, store_issue_state_name(issue->state));
	bind_str(st, 4, issue->queue != NULL ? issue->queue : "support");
	bind_str(st, 5, issue->opener);
	bind_time(st, 6, issue->closed_at);
	bind_time(st, 7, issue->last_customer_at);
	bind_time(st, 8, issue->last_ours_at);
	bind_id(st, 9, issue->linked_issue);
	sqlite3_bind_int(st, 10, issue->resolved_told);
	sqlite3_bind_int64(st, 11, issue->number);
	r = run_done(store, st, "update issue", error_r);
	return r < 0 ? -1 : r > 0;
}

int
store_issue_list(struct store *store, const struct store_issue_filter *filter,
		 struct store_issue **v_r, size_t *n_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT " ISSUE_COLS " FROM issues WHERE (?1 IS NULL OR "
	    "customer_id = ?1) AND (?2 IS NULL OR queue = ?2) ORDER BY number",
	    error_r);
	struct store_issue *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	if (st == NULL)
		return -1;
	bind_id(st, 1, filter != NULL ? filter->customer_id : 0);
	bind_str(st, 2, filter != NULL ? filter->queue : NULL);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		struct store_issue is;

		issue_row(st, &is);
		if (filter != NULL && filter->states != 0 &&
		    (filter->states & (1 << is.state)) == 0) {
			store_issue_clear(&is);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = is;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		for (size_t i = 0; i < n; i++)
			store_issue_clear(&v[i]);
		free(v);
		return store_fail(store, "list issues", error_r);
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_issue_latest_ours(struct store *store, int64_t customer_id,
			const char *opener, int64_t *number_r,
			const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT number FROM issues WHERE (?1 IS NOT NULL AND customer_id "
	    "= ?1) OR (?1 IS NULL AND opener = ?2) ORDER BY "
	    "coalesce(last_ours_at, 0) DESC, number DESC LIMIT 1",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_id(st, 1, customer_id);
	bind_str(st, 2, opener);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*number_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "latest issue", error_r);
}

int
store_issue_add_tag(struct store *store, int64_t number, const char *tag,
		    const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR IGNORE INTO issue_tags (issue, tag) VALUES (?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, number);
	bind_str(st, 2, tag);
	r = run_done(store, st, "add tag", error_r);
	return r < 0 ? -1 : r > 0;
}

int
store_issue_tags(struct store *store, int64_t number, struct strlist *tags,
		 const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT tag FROM issue_tags WHERE issue = ? ORDER BY tag",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, number);
	while ((r = store_step(store, st)) == SQLITE_ROW)
		strlist_add(tags, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return store_fail(store, "issue tags", error_r);
	return 0;
}

int
store_issue_map_external(struct store *store, const char *system,
			 const char *external_id, int64_t number,
			 const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR IGNORE INTO issue_external_ids (system, external_id, "
	    "issue) VALUES (?, ?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, system);
	bind_str(st, 2, external_id);
	sqlite3_bind_int64(st, 3, number);
	r = run_done(store, st, "map external id", error_r);
	return r < 0 ? -1 : r > 0;
}

int
store_issue_find_external(struct store *store, const char *system,
			  const char *external_id, int64_t *number_r,
			  const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT issue FROM issue_external_ids WHERE system = ? AND "
	    "external_id = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, system);
	bind_str(st, 2, external_id);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*number_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "find external id", error_r);
}

/* ---- messages ---- */

void
store_message_clear(struct store_message *m)
{
	free(m->message_id);
	free(m->in_reply_to);
	free(m->refs);
	free(m->from_addr);
	free(m->to_addrs);
	free(m->envelope_to);
	free(m->subject);
	free(m->subject_key);
	free(m->class);
	free(m->match_reason);
	free(m->failed_recipient);
	free(m->original_message_id);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

int
store_message_add(struct store *store, const struct store_message *m,
		  const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO messages (message_id, direction, in_reply_to, refs, "
	    "from_addr, to_addrs, envelope_to, subject, subject_key, date, "
	    "class, issue, customer_id, match_reason, failed_recipient, "
	    "original_message_id, received_at, body) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (message_id) DO NOTHING",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, m->message_id);
	bind_str(st, 2, m->outgoing ? "out" : "in");
	bind_str(st, 3, m->in_reply_to);
	bind_str(st, 4, m->refs);
	bind_str(st, 5, m->from_addr);
	bind_str(st, 6, m->to_addrs);
	bind_str(st, 7, m->envelope_to);
	bind_str(st, 8, m->subject);
	bind_str(st, 9, m->subject_key);
	bind_time(st, 10, m->date);
	bind_str(st, 11, m->class != NULL ? m->class : "human");
	bind_id(st, 12, m->issue);
	bind_id(st, 13, m->customer_id);
	bind_str(st, 14, m->match_reason);
	bind_str(st, 15, m->failed_recipient);
	bind_str(st, 16, m->original_message_id);
	sqlite3_bind_int64(st, 17,
			   m->received_at != 0 ? m->received_at : clock_now());
	bind_str(st, 18, m->body);
	r = run_done(store, st, "record message", error_r);
	return r < 0 ? -1 : r > 0;
}

#define MESSAGE_COLS                                                           \
	"id, message_id, direction, in_reply_to, refs, from_addr, "            \
	"to_addrs, envelope_to, subject, subject_key, date, class, issue, "    \
	"customer_id, match_reason, failed_recipient, original_message_id, "   \
	"received_at, body"

static void
message_row(sqlite3_stmt *st, struct store_message *m)
{
	const char *dir = (const char *)sqlite3_column_text(st, 2);

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->message_id = col_str(st, 1);
	m->outgoing = dir != NULL && strcmp(dir, "out") == 0;
	m->in_reply_to = col_str(st, 3);
	m->refs = col_str(st, 4);
	m->from_addr = col_str(st, 5);
	m->to_addrs = col_str(st, 6);
	m->envelope_to = col_str(st, 7);
	m->subject = col_str(st, 8);
	m->subject_key = col_str(st, 9);
	m->date = (time_t)sqlite3_column_int64(st, 10);
	m->class = col_str(st, 11);
	m->issue = sqlite3_column_int64(st, 12);
	m->customer_id = sqlite3_column_int64(st, 13);
	m->match_reason = col_str(st, 14);
	m->failed_recipient = col_str(st, 15);
	m->original_message_id = col_str(st, 16);
	m->received_at = (time_t)sqlite3_column_int64(st, 17);
	m->body = col_str(st, 18);
}

int
store_message_get(struct store *store, const char *message_id,
		  struct store_message *m_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT " MESSAGE_COLS " FROM messages WHERE message_id = ?",
	    error_r);
	int r;

	memset(m_r, 0, sizeof(*m_r));
	if (st == NULL)
		return -1;
	bind_str(st, 1, message_id);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		message_row(st, m_r);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "get message", error_r);
}

int
store_message_set_issue(struct store *store, const char *message_id,
			int64_t issue, const char *match_reason,
			const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE messages SET issue = ?, match_reason = ? WHERE "
	    "message_id = ?",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_id(st, 1, issue);
	bind_str(st, 2, match_reason);
	bind_str(st, 3, message_id);
	r = run_done(store, st, "set message issue", error_r);
	return r < 0 ? -1 : r > 0;
}

int
store_message_list(struct store *store, int64_t issue,
		   struct store_message **v_r, size_t *n_r,
		   const char **error_r)
{
	sqlite3_stmt *st = store_prepare(store,
					 "SELECT " MESSAGE_COLS
					 " FROM messages WHERE (?1 IS NULL OR "
					 "issue = ?1) ORDER BY id",
					 error_r);
	struct store_message *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	if (st == NULL)
		return -1;
	bind_id(st, 1, issue);
	while ((r = store_step(store, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		message_row(st, &v[n++]);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		for (size_t i = 0; i < n; i++)
			store_message_clear(&v[i]);
		free(v);
		return store_fail(store, "list messages", error_r);
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_message_ref_add(struct store *store, const char *ref, int64_t issue,
		      const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR IGNORE INTO message_refs (ref, issue) VALUES (?, ?)",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, ref);
	sqlite3_bind_int64(st, 2, issue);
	r = run_done(store, st, "add message ref", error_r);
	return r < 0 ? -1 : r > 0;
}

int
store_message_ref_find(struct store *store, const char *ref, int64_t *issue_r,
		       const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store, "SELECT issue FROM message_refs WHERE ref = ?", error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, ref);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*issue_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r != SQLITE_DONE)
		return store_fail(store, "find message ref", error_r);
	/* a recorded message with an issue (refs may lag behind) */
	st = store_prepare(store,
			   "SELECT issue FROM messages WHERE message_id = ? "
			   "AND issue IS NOT NULL",
			   error_r);
	if (st == NULL)
		return -1;
	bind_str(st, 1, ref);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*issue_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "find message ref", error_r);
}

int
store_message_notice_find(struct store *store, const char *ref,
			  int64_t *notice_r, int64_t *issue_r,
			  const char **error_r)
{
	/* the notice's issue first: one Message-ID, several recipients */
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT id, coalesce(issue, 0) FROM notices WHERE message_id = ? "
	    "ORDER BY coalesce(issue, 0) DESC, id LIMIT 1",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, ref);
	r = store_step(store, st);
	if (r == SQLITE_ROW) {
		*notice_r = sqlite3_column_int64(st, 0);
		*issue_r = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "find notice by Message-ID", error_r);
}

int
store_message_find_subject(struct store *store, const char *from_addr,
			   int64_t customer_id, const char *key, time_t since,
			   int64_t *issue_r, const char **error_r)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT m.issue FROM messages m JOIN issues i ON i.number = "
	    "m.issue WHERE m.subject_key = ?1 AND m.received_at >= ?2 AND "
	    "(m.from_addr = ?3 OR i.opener = ?3 OR (?4 IS NOT NULL AND "
	    "i.customer_id = ?4)) ORDER BY m.id DESC LIMIT 1",
	    error_r);
	int r;

	if (st == NULL)
		return -1;
	bind_str(st, 1, key);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	bind_str(st, 3, from_addr);
	bind_id(st, 4, customer_id);
	r = store_step(store, st);
	if (r == SQLITE_ROW)
		*issue_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, "find by subject", error_r);
}

int64_t
store_message_count(struct store *store, const char **error_r)
{
	sqlite3_stmt *st =
	    store_prepare(store, "SELECT count(*) FROM messages", error_r);
	int64_t n;

	if (st == NULL)
		return -1;
	if (store_step(store, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(store, "count messages", error_r);
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
