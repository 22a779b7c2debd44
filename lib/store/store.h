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

/* ---- IMAP polling (store-imap.c) ---- */

/* Where polling of one account's mailbox stands: the UIDVALIDITY seen
   last and the highest UID below which every message was processed and
   marked. Returns 1 found, 0 never polled, -1 error. */
int store_imap_state_get(struct store *store, const char *account,
			 const char *mailbox, uint32_t *uidvalidity_r,
			 uint32_t *last_uid_r, const char **error_r);
/* Sets (inserts or replaces) the state. Returns 0/-1. */
int store_imap_state_set(struct store *store, const char *account,
			 const char *mailbox, uint32_t uidvalidity,
			 uint32_t last_uid, const char **error_r);

/* What processing decided for one message, so that a message fetched
   again (after a crash, a dropped connection, a UIDVALIDITY change, a
   second copy) is filed the same way without running the rules again. */
struct store_imap_record {
	char *key;	/* Message-ID, or "sha256:..." of the message */
	char *account;
	char *mailbox;
	uint32_t uidvalidity;
	uint32_t uid;
	char *folders;	/* where the rules filed it, one per line; or NULL */
	char *flags;	/* space-separated IMAP flags from the rules */
	bool keep;	/* also stays in the polled mailbox */
	char *outcome;
	time_t at;
};

void store_imap_record_free(struct store_imap_record *rec);
/* Looks key up. Returns 1 found (rec filled; free with
   store_imap_record_free), 0 not found, -1 error. */
int store_imap_record_get(struct store *store, const char *key,
			  struct store_imap_record *rec_r,
			  const char **error_r);
/* Adds a record (key must be new). Returns 0/-1. */
int store_imap_record_add(struct store *store,
			  const struct store_imap_record *rec,
			  const char **error_r);
/* Iterates every record in key order: pass *iter = 0 first. Returns 1
   with rec_r filled (free it), 0 at the end, -1 error. */
int store_imap_record_next(struct store *store, int64_t *iter,
			   struct store_imap_record *rec_r,
			   const char **error_r);
/* Counts records, and delivery log Message-IDs that occur more than
   once (a message processed twice). Returns 0/-1. */
int store_imap_counts(struct store *store, int64_t *records_r,
		      int64_t *deliveries_r, int64_t *duplicates_r,
		      const char **error_r);

#endif
