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

/* ---- Sieve vacation and duplicate records (store-sieve.c) ---- */

/* Whether a vacation reply went to sender under handle at or after
   since. Returns 1 yes, 0 no, -1 error. Senders compare
   case-insensitively. */
int store_vacation_seen(struct store *store, const char *sender,
			const char *handle, time_t since, const char **error_r);
/* Records a reply to sender under handle at when (replacing an older
   record). Returns 0/-1. */
int store_vacation_record(struct store *store, const char *sender,
			  const char *handle, time_t when,
			  const char **error_r);
/* duplicate (RFC 7352): whether id was seen at or after since and its
   record has not expired at now. Returns 1/0/-1. */
int store_duplicate_seen(struct store *store, const char *id, time_t since,
			 time_t now, const char **error_r);
/* Records id as seen at when, kept for seconds; drops expired records.
   Returns 0/-1. */
int store_duplicate_record(struct store *store, const char *id, time_t when,
			   long seconds, const char **error_r);

#endif
