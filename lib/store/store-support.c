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

	r = store_row(store, &st, "customer address", error_r,
		      "SELECT customer_id FROM customer_addresses "
		      "WHERE address = ?",
		      "t", key);
	if (r < 0)
		goto fail;
	if (r > 0) {
		int64_t owner = sqlite3_column_int64(st, 0);

		store_stmt_end(store, st);
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
		r = store_run(store, "customer address", error_r,
			      "UPDATE customer_addresses SET customer_id "
			      "= ? WHERE address = ?",
			      "It", id, key);
	} else {
		r = store_run(store, "customer address", error_r,
			      "INSERT INTO customer_addresses "
			      "(customer_id, address) VALUES (?, ?)",
			      "It", id, key);
	}
	free(key);
	return r < 0 ? -1 : 1;
fail:
	free(key);
	return -1;
}

int
store_customer_remove_address(struct store *store, int64_t id,
			      const char *address, const char **error_r)
{
	char *key = addr_key(address);
	int r =
	    store_run(store, "remove address", error_r,
		      "DELETE FROM customer_addresses WHERE customer_id = ? "
		      "AND address = ?",
		      "It", id, key);

	free(key);
	return r < 0 ? -1 : r > 0;
}

int
store_customer_add(struct store *store, const struct store_customer *c,
		   int64_t *id_r, const char **error_r)
{
	if (store_run(
		store, "add customer", error_r,
		"INSERT INTO customers (name, company, phones, notes, vip, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?)",
		"ttttiT", c->name != NULL ? c->name : "", c->company, c->phones,
		c->notes, (int)c->vip,
		c->created_at != 0 ? c->created_at : clock_now()) < 0)
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
	int r = store_run(store, "update customer", error_r,
			  "UPDATE customers SET name = ?, company = ?, "
			  "phones = ?, notes = ?, vip = ? WHERE id = ?",
			  "ttttiI", c->name != NULL ? c->name : "", c->company,
			  c->phones, c->notes, (int)c->vip, c->id);

	return r < 0 ? -1 : r > 0;
}

static int
customer_addresses(struct store *store, struct store_customer *c,
		   const char **error_r)
{
	sqlite3_stmt *st = store_stmt_begin(
	    store, error_r,
	    "SELECT address FROM customer_addresses WHERE customer_id = ? "
	    "ORDER BY address LIKE '@%', address",
	    "I", c->id);
	int r;

	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "customer addresses", error_r)) >
	       0)
		strlist_add(&c->addresses,
			    (const char *)sqlite3_column_text(st, 0));
	store_stmt_end(store, st);
	return r < 0 ? -1 : 0;
}

#define CUSTOMER_COLS "id, name, company, phones, notes, vip, created_at"

static void
customer_row(sqlite3_stmt *st, struct store_customer *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->name = store_col_text(st, 1);
	c->company = store_col_text(st, 2);
	c->phones = store_col_text(st, 3);
	c->notes = store_col_text(st, 4);
	c->vip = sqlite3_column_int(st, 5) != 0;
	c->created_at = (time_t)sqlite3_column_int64(st, 6);
}

int
store_customer_get(struct store *store, int64_t id, struct store_customer *c_r,
		   const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	memset(c_r, 0, sizeof(*c_r));
	r = store_row(store, &st, "get customer", error_r,
		      "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?",
		      "I", id);
	if (r <= 0)
		return r;
	customer_row(st, c_r);
	store_stmt_end(store, st);
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
	sqlite3_stmt *st;
	int r = store_row(
	    store, &st, "find customer", error_r,
	    "SELECT customer_id FROM customer_addresses WHERE address = ?", "t",
	    key);

	if (r > 0) {
		*id_r = sqlite3_column_int64(st, 0);
		store_stmt_end(store, st);
	}
	return r;
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
	sqlite3_stmt *st;
	struct str key = STR_INIT;
	int r, found = 0;
	bool space = false;

	*id_r = 0;
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
		str_free(&key);
		return 0;
	}
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT id FROM customers WHERE name = ? COLLATE NOCASE LIMIT 2",
	    "t", str_c(&key));
	if (st == NULL) {
		str_free(&key);
		return -1;
	}
	while ((r = store_stmt_next(store, st, "find customer by name",
				    error_r)) > 0) {
		*id_r = sqlite3_column_int64(st, 0);
		found++;
	}
	store_stmt_end(store, st);
	str_free(&key);
	if (r < 0)
		return -1;
	if (found != 1)
		*id_r = 0;
	return found == 1;
}

int
store_customer_list(struct store *store, struct store_customer **v_r,
		    size_t *n_r, const char **error_r)
{
	sqlite3_stmt *st;
	struct store_customer *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT " CUSTOMER_COLS " FROM customers ORDER BY id", "");
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "list customers", error_r)) >
	       0) {
		v = store_grow(v, n, &cap, 16, sizeof(*v));
		customer_row(st, &v[n++]);
	}
	store_stmt_end(store, st);
	if (r < 0)
		goto fail;
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

int
store_issue_create(struct store *store, const struct store_issue *issue,
		   int64_t first_number, int64_t *number_r,
		   const char **error_r)
{
	sqlite3_stmt *st;
	int64_t number = first_number > 0 ? first_number : 1;
	int r;

	r = store_row(store, &st, "next issue number", error_r,
		      "SELECT max(number) FROM issues", "");
	if (r < 0)
		return -1;
	if (r == 0)
		return store_fail(store, "next issue number", error_r);
	if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 0) + 1 > number)
		number = sqlite3_column_int64(st, 0) + 1;
	store_stmt_end(store, st);
	if (store_run(
		store, "create issue", error_r,
		"INSERT INTO issues (number, customer_id, subject, state, "
		"queue, opener, opened_at, closed_at, last_customer_at, "
		"last_ours_at, linked_issue, resolved_told) VALUES "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"InttttTnnnni", number, issue->customer_id,
		issue->subject != NULL ? issue->subject : "",
		store_issue_state_name(issue->state),
		issue->queue != NULL ? issue->queue : "support", issue->opener,
		issue->opened_at != 0 ? issue->opened_at : clock_now(),
		(int64_t)issue->closed_at, (int64_t)issue->last_customer_at,
		(int64_t)issue->last_ours_at, issue->linked_issue,
		(int)issue->resolved_told) < 0)
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
	is->subject = store_col_text(st, 2);
	if (state == NULL || store_issue_state_parse(state, &is->state) < 0)
		is->state = STORE_ISSUE_OPEN;
	is->queue = store_col_text(st, 4);
	is->opener = store_col_text(st, 5);
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
	sqlite3_stmt *st;
	int r;

	memset(issue_r, 0, sizeof(*issue_r));
	r = store_row(store, &st, "get issue", error_r,
		      "SELECT " ISSUE_COLS " FROM issues WHERE number = ?", "I",
		      number);
	if (r > 0) {
		issue_row(st, issue_r);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_issue_update(struct store *store, const struct store_issue *issue,
		   const char **error_r)
{
	int r = store_run(
	    store, "update issue", error_r,
	    "UPDATE issues SET customer_id = ?, subject = ?, state = ?, "
	    "queue = ?, opener = ?, closed_at = ?, last_customer_at = ?, "
	    "last_ours_at = ?, linked_issue = ?, resolved_told = ? "
	    "WHERE number = ?",
	    "nttttnnnniI", issue->customer_id,
	    issue->subject != NULL ? issue->subject : "",
	    store_issue_state_name(issue->state),
	    issue->queue != NULL ? issue->queue : "support", issue->opener,
	    (int64_t)issue->closed_at, (int64_t)issue->last_customer_at,
	    (int64_t)issue->last_ours_at, issue->linked_issue,
	    (int)issue->resolved_told, issue->number);

	return r < 0 ? -1 : r > 0;
}

int
store_issue_list(struct store *store, const struct store_issue_filter *filter,
		 struct store_issue **v_r, size_t *n_r, const char **error_r)
{
	sqlite3_stmt *st;
	struct store_issue *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(
	    store, error_r,
	    "SELECT " ISSUE_COLS " FROM issues WHERE (?1 IS NULL OR "
	    "customer_id = ?1) AND (?2 IS NULL OR queue = ?2) ORDER BY number",
	    "nt", filter != NULL ? filter->customer_id : 0,
	    filter != NULL ? filter->queue : NULL);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "list issues", error_r)) > 0) {
		struct store_issue is;

		issue_row(st, &is);
		if (filter != NULL && filter->states != 0 &&
		    (filter->states & (1 << is.state)) == 0) {
			store_issue_clear(&is);
			continue;
		}
		v = store_grow(v, n, &cap, 16, sizeof(*v));
		v[n++] = is;
	}
	store_stmt_end(store, st);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			store_issue_clear(&v[i]);
		free(v);
		return -1;
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
	sqlite3_stmt *st;
	int r = store_row(
	    store, &st, "latest issue", error_r,
	    "SELECT number FROM issues WHERE (?1 IS NOT NULL AND customer_id "
	    "= ?1) OR (?1 IS NULL AND opener = ?2) ORDER BY "
	    "coalesce(last_ours_at, 0) DESC, number DESC LIMIT 1",
	    "nt", customer_id, opener);

	if (r > 0) {
		*number_r = sqlite3_column_int64(st, 0);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_issue_add_tag(struct store *store, int64_t number, const char *tag,
		    const char **error_r)
{
	int r = store_run(
	    store, "add tag", error_r,
	    "INSERT OR IGNORE INTO issue_tags (issue, tag) VALUES (?, ?)", "It",
	    number, tag);

	return r < 0 ? -1 : r > 0;
}

int
store_issue_tags(struct store *store, int64_t number, struct strlist *tags,
		 const char **error_r)
{
	sqlite3_stmt *st = store_stmt_begin(
	    store, error_r,
	    "SELECT tag FROM issue_tags WHERE issue = ? ORDER BY tag", "I",
	    number);
	int r;

	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "issue tags", error_r)) > 0)
		strlist_add(tags, (const char *)sqlite3_column_text(st, 0));
	store_stmt_end(store, st);
	return r < 0 ? -1 : 0;
}

int
store_issue_map_external(struct store *store, const char *system,
			 const char *external_id, int64_t number,
			 const char **error_r)
{
	int r = store_run(store, "map external id", error_r,
			  "INSERT OR IGNORE INTO issue_external_ids (system, "
			  "external_id, issue) VALUES (?, ?, ?)",
			  "ttI", system, external_id, number);

	return r < 0 ? -1 : r > 0;
}

int
store_issue_find_external(struct store *store, const char *system,
			  const char *external_id, int64_t *number_r,
			  const char **error_r)
{
	sqlite3_stmt *st;
	int r = store_row(store, &st, "find external id", error_r,
			  "SELECT issue FROM issue_external_ids WHERE system = "
			  "? AND external_id = ?",
			  "tt", system, external_id);

	if (r > 0) {
		*number_r = sqlite3_column_int64(st, 0);
		store_stmt_end(store, st);
	}
	return r;
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
	int r = store_run(
	    store, "record message", error_r,
	    "INSERT INTO messages (message_id, direction, in_reply_to, refs, "
	    "from_addr, to_addrs, envelope_to, subject, subject_key, date, "
	    "class, issue, customer_id, match_reason, failed_recipient, "
	    "original_message_id, received_at, body) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (message_id) DO NOTHING",
	    "tttttttttntnntttTt", m->message_id, m->outgoing ? "out" : "in",
	    m->in_reply_to, m->refs, m->from_addr, m->to_addrs, m->envelope_to,
	    m->subject, m->subject_key, (int64_t)m->date,
	    m->class != NULL ? m->class : "human", m->issue, m->customer_id,
	    m->match_reason, m->failed_recipient, m->original_message_id,
	    m->received_at != 0 ? m->received_at : clock_now(), m->body);

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
	m->message_id = store_col_text(st, 1);
	m->outgoing = dir != NULL && strcmp(dir, "out") == 0;
	m->in_reply_to = store_col_text(st, 3);
	m->refs = store_col_text(st, 4);
	m->from_addr = store_col_text(st, 5);
	m->to_addrs = store_col_text(st, 6);
	m->envelope_to = store_col_text(st, 7);
	m->subject = store_col_text(st, 8);
	m->subject_key = store_col_text(st, 9);
	m->date = (time_t)sqlite3_column_int64(st, 10);
	m->class = store_col_text(st, 11);
	m->issue = sqlite3_column_int64(st, 12);
	m->customer_id = sqlite3_column_int64(st, 13);
	m->match_reason = store_col_text(st, 14);
	m->failed_recipient = store_col_text(st, 15);
	m->original_message_id = store_col_text(st, 16);
	m->received_at = (time_t)sqlite3_column_int64(st, 17);
	m->body = store_col_text(st, 18);
}

int
store_message_get(struct store *store, const char *message_id,
		  struct store_message *m_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	memset(m_r, 0, sizeof(*m_r));
	r = store_row(store, &st, "get message", error_r,
		      "SELECT " MESSAGE_COLS
		      " FROM messages WHERE message_id = ?",
		      "t", message_id);
	if (r > 0) {
		message_row(st, m_r);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_message_set_issue(struct store *store, const char *message_id,
			int64_t issue, const char *match_reason,
			const char **error_r)
{
	int r = store_run(store, "set message issue", error_r,
			  "UPDATE messages SET issue = ?, match_reason = ? "
			  "WHERE message_id = ?",
			  "ntt", issue, match_reason, message_id);

	return r < 0 ? -1 : r > 0;
}

int
store_message_list(struct store *store, int64_t issue,
		   struct store_message **v_r, size_t *n_r,
		   const char **error_r)
{
	sqlite3_stmt *st;
	struct store_message *v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*v_r = NULL;
	*n_r = 0;
	st = store_stmt_begin(store, error_r,
			      "SELECT " MESSAGE_COLS
			      " FROM messages WHERE (?1 IS NULL OR "
			      "issue = ?1) ORDER BY id",
			      "n", issue);
	if (st == NULL)
		return -1;
	while ((r = store_stmt_next(store, st, "list messages", error_r)) > 0) {
		v = store_grow(v, n, &cap, 64, sizeof(*v));
		message_row(st, &v[n++]);
	}
	store_stmt_end(store, st);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			store_message_clear(&v[i]);
		free(v);
		return -1;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

int
store_message_ref_add(struct store *store, const char *ref, int64_t issue,
		      const char **error_r)
{
	int r = store_run(
	    store, "add message ref", error_r,
	    "INSERT OR IGNORE INTO message_refs (ref, issue) VALUES (?, ?)",
	    "tI", ref, issue);

	return r < 0 ? -1 : r > 0;
}

int
store_message_ref_find(struct store *store, const char *ref, int64_t *issue_r,
		       const char **error_r)
{
	sqlite3_stmt *st;
	int r;

	r = store_row(store, &st, "find message ref", error_r,
		      "SELECT issue FROM message_refs WHERE ref = ?", "t", ref);
	if (r == 0)
		/* a recorded message with an issue (refs may lag behind) */
		r = store_row(store, &st, "find message ref", error_r,
			      "SELECT issue FROM messages WHERE message_id = ? "
			      "AND issue IS NOT NULL",
			      "t", ref);
	if (r > 0) {
		*issue_r = sqlite3_column_int64(st, 0);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_message_notice_find(struct store *store, const char *ref,
			  int64_t *notice_r, int64_t *issue_r,
			  const char **error_r)
{
	sqlite3_stmt *st;
	/* the notice's issue first: one Message-ID, several recipients */
	int r = store_row(
	    store, &st, "find notice by Message-ID", error_r,
	    "SELECT id, coalesce(issue, 0) FROM notices WHERE message_id = ? "
	    "ORDER BY coalesce(issue, 0) DESC, id LIMIT 1",
	    "t", ref);

	if (r > 0) {
		*notice_r = sqlite3_column_int64(st, 0);
		*issue_r = sqlite3_column_int64(st, 1);
		store_stmt_end(store, st);
	}
	return r;
}

int
store_message_find_subject(struct store *store, const char *from_addr,
			   int64_t customer_id, const char *key, time_t since,
			   int64_t *issue_r, const char **error_r)
{
	sqlite3_stmt *st;
	int r = store_row(
	    store, &st, "find by subject", error_r,
	    "SELECT m.issue FROM messages m JOIN issues i ON i.number = "
	    "m.issue WHERE m.subject_key = ?1 AND m.received_at >= ?2 AND "
	    "(m.from_addr = ?3 OR i.opener = ?3 OR (?4 IS NOT NULL AND "
	    "i.customer_id = ?4)) ORDER BY m.id DESC LIMIT 1",
	    "tTtn", key, since, from_addr, customer_id);

	if (r > 0) {
		*issue_r = sqlite3_column_int64(st, 0);
		store_stmt_end(store, st);
	}
	return r;
}

int64_t
store_message_count(struct store *store, const char **error_r)
{
	int64_t n;

	if (store_row_int64(store, &n, "count messages", error_r,
			    "SELECT count(*) FROM messages", "") < 0)
		return -1;
	return n;
}
