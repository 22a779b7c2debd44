/*
 * store.h - all of ackmail's state, behind one interface. SQL lives only
 * in lib/store/; the SQLite backend is the default (WAL, busy timeout,
 * foreign keys, numbered migrations applied at open).
 *
 * Return convention: -1 error (reason in *error_r, valid until the next
 * call on the store), 0 no/none, 1 yes/found. A busy database past the
 * busy timeout is an error with store_error_transient() true: callers
 * turn it into EX_TEMPFAIL.
 */
#ifndef ACKMAIL_STORE_H
#define ACKMAIL_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

struct store;

/* Opens (creating directories and the file when missing) and migrates.
   busy_timeout_ms: how long to wait for a lock. */
int store_open(const char *path, long busy_timeout_ms, struct store **store_r,
	       const char **error_r);
void store_close(struct store **store);
/* True when the last error was transient (busy, locked, I/O, full). */
bool store_error_transient(const struct store *store);
/* The schema version after migrations. */
int store_schema_version(struct store *store);

/* Transactions (BEGIN IMMEDIATE). Returns 0/-1. */
int store_begin(struct store *store, const char **error_r);
int store_commit(struct store *store, const char **error_r);
void store_rollback(struct store *store);

/* ---- delivery log ---- */

/* Records one delivery: Message-ID (may be NULL), time, outcome name,
   where it went. Returns 0/-1. */
int store_delivery_log(struct store *store, const char *message_id,
		       time_t when, const char *outcome, const char *folders,
		       const char **error_r);
/* Counts delivery log rows (tests). Returns the count or -1. */
int64_t store_delivery_count(struct store *store, const char **error_r);

/* ---- notices (store-notice.c) ---- */

/* A change notice to one recipient. Times are 0 when unset; ids 0 when
   unknown. Strings are owned by the struct (store_notice_clear). */
struct store_notice {
	int64_t id;
	int64_t customer;
	int64_t issue;
	char *to, *cc, *subject, *message_id, *sender, *source;
	time_t sent_at, deadline, change_at;
	char *state;  /* waiting seen acknowledged away undeliverable
			 escalated called closed */
	char *reason; /* why it is on the call list */
	time_t escalated_at, away_until;
	char *ack_by, *ack_excerpt;
	time_t ack_at, reminded_at, updated_at;
};

struct store_notice_list {
	struct store_notice *v;
	size_t n, cap;
};

struct store_notice_query {
	int64_t id;		 /* 0: any */
	const char *states;	 /* "waiting,seen", or NULL for all */
	const char *message_id;	 /* or NULL */
	int64_t issue;		 /* 0: any */
	time_t deadline_before;	 /* 0: any; else deadline <= this */
	bool escalated;		 /* only notices on the call list */
};

struct store_notice_event {
	time_t at;
	char *state, *note, *message_id;
};

struct store_notice_event_list {
	struct store_notice_event *v;
	size_t n, cap;
};

void store_notice_clear(struct store_notice *n);
void store_notice_list_free(struct store_notice_list *list);
void store_notice_event_list_free(struct store_notice_event_list *list);
/* Records a notice (id is set). Returns 1 when added, 0 when a notice
   with the same Message-ID and recipient exists (id set to it), -1. */
int store_notice_add(struct store *store, struct store_notice *n,
		     const char **error_r);
/* Writes the mutable fields (state, reason, escalated_at, away_until,
   ack_*, reminded_at, deadline, updated_at) of notice n->id. 0/-1. */
int store_notice_update(struct store *store, const struct store_notice *n,
			const char **error_r);
/* Appends the notices matching q, ordered by deadline then id. Returns
   the number appended or -1. */
int store_notice_find(struct store *store, const struct store_notice_query *q,
		      struct store_notice_list *list, const char **error_r);
/* Appends one history line of notice id. 0/-1. */
int store_notice_event(struct store *store, int64_t id, time_t at,
		       const char *state, const char *note,
		       const char *message_id, const char **error_r);
/* The history of notice id, oldest first. Returns the count or -1. */
int store_notice_events(struct store *store, int64_t id,
			struct store_notice_event_list *list,
			const char **error_r);

#endif
