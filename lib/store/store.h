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

/* ---- outbound: the outbox and the acknowledgement log ---- */

/* One outgoing message. Strings are owned by the item (see
   store_outbox_item_free); list results leave data NULL. */
struct store_outbox_item {
	int64_t id;
	char *kind;	  /* "ack", "vacation", "redirect", "resolution", ... */
	char *env_from;	  /* envelope sender, "" for <> */
	char *rcpts;	  /* envelope recipients, space separated */
	char *data;	  /* the whole message, LF line ends */
	size_t len;
	char *message_id; /* without brackets, or NULL */
	int64_t issue;	  /* issue number, 0 for none */
	time_t created;
	char *state;	  /* queued, sending, sent, failed, dropped */
	int attempts;
	time_t next_attempt;
	time_t claimed_at;
	int claim_pid;
	char *last_error;
	time_t done_at;
};

void store_outbox_item_free(struct store_outbox_item *item);
/* Queues a message (state queued, due now). Runs inside the caller's
   transaction when one is open, so a delivery can queue its
   acknowledgement atomically with everything else. Returns 0/-1. */
int store_outbox_add(struct store *store, const struct store_outbox_item *item,
		     int64_t *id_r, const char **error_r);
/* Claims the oldest due message (queued, next_attempt <= now) for
   pid: marks it "sending" in its own committed transaction, so two
   flushing processes never take the same row. Returns 1 with *item_r
   filled (free with store_outbox_item_free), 0 when nothing is due. */
int store_outbox_claim(struct store *store, time_t now, int pid,
		       struct store_outbox_item *item_r, const char **error_r);
/* Marks a claimed message sent (the server accepted it). 0/-1. */
int store_outbox_mark_sent(struct store *store, int64_t id, time_t now,
			   const char **error_r);
/* Puts a claimed message back with its next attempt time and the
   error; attempts is incremented. 0/-1. */
int store_outbox_mark_retry(struct store *store, int64_t id, time_t next,
			    const char *why, const char **error_r);
/* Marks a message failed for good (5xx, or retried too long). 0/-1. */
int store_outbox_mark_failed(struct store *store, int64_t id, time_t now,
			     const char *why, const char **error_r);
/* Returns a "sending" row to "queued" (its flusher died). 0/-1. */
int store_outbox_requeue(struct store *store, int64_t id,
			 const char **error_r);
/* Drops a queued (or failed) message: state "dropped". Returns 1, or 0
   when there is no such message in a droppable state. */
int store_outbox_drop(struct store *store, int64_t id, const char **error_r);
/* Every message in state (NULL: all but sent and dropped), oldest
   first, without data. Caller frees each item and the array. 0/-1. */
int store_outbox_list(struct store *store, const char *state,
		      struct store_outbox_item **items_r, size_t *n_r,
		      const char **error_r);
/* Reads one message with its data. Returns 1 found, 0 not, -1. */
int store_outbox_get(struct store *store, int64_t id,
		     struct store_outbox_item *item_r, const char **error_r);

/* Records an acknowledgement decision for sender (normalised
   address): suppressed NULL when an answer was queued, else the
   reason. issue 0 for none. Returns 0/-1. */
int store_ack_log_add(struct store *store, const char *sender, int64_t issue,
		      time_t at, const char *kind, const char *message_id,
		      const char *suppressed, int64_t outbox_id,
		      const char **error_r);
/* Counts answers actually queued (not suppressed) since a time: for
   sender (NULL: everyone), for issue (< 0: any issue). Returns the
   count or -1. */
int64_t store_ack_count(struct store *store, const char *sender,
			int64_t issue, time_t since, const char **error_r);

#endif
