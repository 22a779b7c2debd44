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
int store_delivery_log(struct store *store, const char *message_id, time_t when,
		       const char *outcome, const char *folders,
		       const char **error_r);
/* Counts delivery log rows (tests). Returns the count or -1. */
int64_t store_delivery_count(struct store *store, const char **error_r);

/* ---- support core: customers, issues, messages (store-support.c) ----
 *
 * Issues are named by their number everywhere (it is the primary key).
 * Strings in the structs below are owned by the struct: release them with
 * the matching *_clear(). Times are time_t; 0 means "never/unset".
 */

struct store_customer {
	int64_t id;
	char *name;
	char *company;
	char *phones; /* as given, one per line */
	char *notes;
	bool vip;
	time_t created_at;
	struct strlist addresses; /* lower case: "a@b.example", "@b.example" */
};

void store_customer_clear(struct store_customer *c);
/* Adds a customer and its addresses. An address already owned by another
   customer is an error. Returns 0/-1; *id_r the new id. */
int store_customer_add(struct store *store, const struct store_customer *c,
		       int64_t *id_r, const char **error_r);
/* Rewrites name, company, phones, notes, vip of customer c->id (the
   addresses are not touched). Returns 1, 0 when no such customer, -1. */
int store_customer_update(struct store *store, const struct store_customer *c,
			  const char **error_r);
/* Adds (or moves, when move is true) one address or @domain to a
   customer. Returns 1 added, 0 already there, -1 (also when owned by
   another customer and move is false). */
int store_customer_add_address(struct store *store, int64_t id,
			       const char *address, bool move,
			       const char **error_r);
int store_customer_remove_address(struct store *store, int64_t id,
				  const char *address, const char **error_r);
/* Loads customer id into *c_r (addresses included). 1 found, 0, -1. */
int store_customer_get(struct store *store, int64_t id,
		       struct store_customer *c_r, const char **error_r);
/* The customer an address belongs to: the exact address first, then its
   @domain. address is normalised (lower-cased) here. 1 found, 0, -1. */
int store_customer_find(struct store *store, const char *address, int64_t *id_r,
			const char **error_r);
/* The customer whose name is name (case-insensitive, whitespace
   squeezed), only when exactly one customer has it. 1 found, 0 none or
   ambiguous, -1. */
int store_customer_find_name(struct store *store, const char *name,
			     int64_t *id_r, const char **error_r);
/* All customers ordered by id; *v_r is an array of *n_r (free each with
   store_customer_clear, then the array). 0/-1. */
int store_customer_list(struct store *store, struct store_customer **v_r,
			size_t *n_r, const char **error_r);

enum store_issue_state {
	STORE_ISSUE_OPEN = 0,
	STORE_ISSUE_WAITING, /* waiting on the customer */
	STORE_ISSUE_RESOLVED,
	STORE_ISSUE_CLOSED,
};

/* "open", "waiting", "resolved", "closed". */
const char *store_issue_state_name(enum store_issue_state state);
/* Parses a state name (also "waiting-on-customer"). 0/-1. */
int store_issue_state_parse(const char *name, enum store_issue_state *state_r);

struct store_issue {
	int64_t number;
	int64_t customer_id; /* 0: no customer record */
	char *subject;
	enum store_issue_state state;
	char *queue;  /* "support" unless a rule said otherwise */
	char *opener; /* address of the first message, or NULL */
	time_t opened_at;
	time_t closed_at; /* when it last became resolved/closed */
	time_t last_customer_at;
	time_t last_ours_at;
	int64_t linked_issue; /* 0: none */
	bool resolved_told;   /* the customer was told it is resolved */
};

void store_issue_clear(struct store_issue *issue);
/* Creates an issue from *issue (number ignored): the next number is
   max(number) + 1, or first_number for the first issue. Call inside a
   transaction. Returns 0/-1; *number_r the new number. */
int store_issue_create(struct store *store, const struct store_issue *issue,
		       int64_t first_number, int64_t *number_r,
		       const char **error_r);
/* Loads issue number. 1 found, 0, -1. */
int store_issue_get(struct store *store, int64_t number,
		    struct store_issue *issue_r, const char **error_r);
/* Writes every mutable field of issue->number back. 1, 0 none, -1. */
int store_issue_update(struct store *store, const struct store_issue *issue,
		       const char **error_r);

struct store_issue_filter {
	int64_t customer_id; /* 0: any */
	int states;	     /* bit mask of 1 << state; 0: any */
	const char *queue;   /* NULL: any */
};

/* Issues matching filter (NULL: all), by number. 0/-1. */
int store_issue_list(struct store *store,
		     const struct store_issue_filter *filter,
		     struct store_issue **v_r, size_t *n_r,
		     const char **error_r);
/* The issue of customer_id (or, with customer_id 0, opened by opener)
   we wrote to last (last_ours_at, then the newest). 1 found, 0, -1. */
int store_issue_latest_ours(struct store *store, int64_t customer_id,
			    const char *opener, int64_t *number_r,
			    const char **error_r);
/* Tags. add: 1 added, 0 already, -1. list appends to tags, 0/-1. */
int store_issue_add_tag(struct store *store, int64_t number, const char *tag,
			const char **error_r);
int store_issue_tags(struct store *store, int64_t number, struct strlist *tags,
		     const char **error_r);
/* Ticket numbers of other systems ("vendor", "CASE-123") mapped to an
   issue. map: 1 added, 0 already mapped (anywhere), -1. find: 1, 0, -1. */
int store_issue_map_external(struct store *store, const char *system,
			     const char *external_id, int64_t number,
			     const char **error_r);
int store_issue_find_external(struct store *store, const char *system,
			      const char *external_id, int64_t *number_r,
			      const char **error_r);

struct store_message {
	int64_t id;
	char *message_id; /* without brackets; never NULL */
	bool outgoing;	  /* direction "out" (ours), else "in" */
	char *in_reply_to;
	char *refs; /* References, space separated */
	char *from_addr;
	char *to_addrs;
	char *envelope_to;
	char *subject;
	char *subject_key;
	time_t date;
	char *class;	     /* msg_class_name() */
	int64_t issue;	     /* 0: none */
	int64_t customer_id; /* 0: none */
	char *match_reason;
	char *failed_recipient;
	char *original_message_id;
	time_t received_at;
	char *body; /* the new text (msg_text_new), or NULL */
};

void store_message_clear(struct store_message *m);
/* Records a message. Returns 1 recorded, 0 when its Message-ID is already
   recorded (nothing written: the same message delivered twice), -1. */
int store_message_add(struct store *store, const struct store_message *m,
		      const char **error_r);
/* Loads the message with that Message-ID. 1, 0, -1. */
int store_message_get(struct store *store, const char *message_id,
		      struct store_message *m_r, const char **error_r);
/* Sets the issue (and reason) of a recorded message. 1, 0, -1. */
int store_message_set_issue(struct store *store, const char *message_id,
			    int64_t issue, const char *match_reason,
			    const char **error_r);
/* Messages of one issue (issue > 0) or all (0), in arrival order. 0/-1. */
int store_message_list(struct store *store, int64_t issue,
		       struct store_message **v_r, size_t *n_r,
		       const char **error_r);
/* Remembers that Message-ID ref belongs to issue (first writer wins).
   1 added, 0 known, -1. */
int store_message_ref_add(struct store *store, const char *ref, int64_t issue,
			  const char **error_r);
/* The issue a Message-ID belongs to (recorded messages and refs).
   1 found, 0, -1. */
int store_message_ref_find(struct store *store, const char *ref,
			   int64_t *issue_r, const char **error_r);
/* The change notice we sent with Message-ID ref: its id and its issue (0:
   on no issue). 1 found, 0, -1. */
int store_message_notice_find(struct store *store, const char *ref,
			      int64_t *notice_r, int64_t *issue_r,
			      const char **error_r);
/* The latest issue with a message whose subject_key is key, received at
   or after since, that came from from_addr or sits on an issue of
   customer_id (when not 0) or opened by from_addr. 1 found, 0, -1. */
int store_message_find_subject(struct store *store, const char *from_addr,
			       int64_t customer_id, const char *key,
			       time_t since, int64_t *issue_r,
			       const char **error_r);
/* Counts recorded messages (tests). The count or -1. */
int64_t store_message_count(struct store *store, const char **error_r);

/* ---- outbound: the outbox and the acknowledgement log ---- */

/* One outgoing message. Strings are owned by the item (see
   store_outbox_item_free); list results leave data NULL. */
struct store_outbox_item {
	int64_t id;
	char *kind;	/* "ack", "vacation", "redirect", "resolution", ... */
	char *env_from; /* envelope sender, "" for <> */
	char *rcpts;	/* envelope recipients, space separated */
	char *data;	/* the whole message, LF line ends */
	size_t len;
	char *message_id; /* without brackets, or NULL */
	int64_t issue;	  /* issue number, 0 for none */
	time_t created;
	char *state; /* queued, sending, sent, failed, dropped */
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
/* Marks a claimed message sent (the server accepted it, for every
   recipient or for some: note, NULL or the recipients refused). 0/-1. */
int store_outbox_mark_sent(struct store *store, int64_t id, time_t now,
			   const char *note, const char **error_r);
/* Puts a claimed message back with its next attempt time and the
   error; attempts is incremented. 0/-1. */
int store_outbox_mark_retry(struct store *store, int64_t id, time_t next,
			    const char *why, const char **error_r);
/* Marks a message failed for good (5xx, or retried too long). 0/-1. */
int store_outbox_mark_failed(struct store *store, int64_t id, time_t now,
			     const char *why, const char **error_r);
/* Returns a "sending" row to "queued" (its flusher died). 0/-1. */
int store_outbox_requeue(struct store *store, int64_t id, const char **error_r);
/* Drops a queued (or failed) message: state "dropped". Returns 1, or 0
   when there is no such message in a droppable state. */
int store_outbox_drop(struct store *store, int64_t id, const char **error_r);
/* Every message in state (NULL: all but sent and dropped), oldest
   first, without data. Caller frees each item and the array. 0/-1. */
int store_outbox_list(struct store *store, const char *state,
		      struct store_outbox_item **items_r, size_t *n_r,
		      const char **error_r);
/* How many messages are due (queued, next attempt <= now). Returns the
   count or -1. */
int64_t store_outbox_due(struct store *store, time_t now, const char **error_r);
/* Reads one message with its data. Returns 1 found, 0 not, -1. */
int store_outbox_get(struct store *store, int64_t id,
		     struct store_outbox_item *item_r, const char **error_r);

/* The final answer for one recipient of an outbox message. */
struct store_outbox_rcpt {
	char *rcpt;
	char *state; /* "sent" or "failed" */
	time_t at;
	char *error; /* the refusal, NULL when sent */
};

void store_outbox_rcpts_free(struct store_outbox_rcpt *v, size_t n);
/* Records the final answer for rcpt of message id: state "sent" or
   "failed" (with why). 0/-1. */
int store_outbox_rcpt_mark(struct store *store, int64_t id, const char *rcpt,
			   const char *state, time_t at, const char *why,
			   const char **error_r);
/* The recipients of message id that have their final answer, in the
   order they got it. Caller frees with store_outbox_rcpts_free. 0/-1. */
int store_outbox_rcpts(struct store *store, int64_t id,
		       struct store_outbox_rcpt **v_r, size_t *n_r,
		       const char **error_r);
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
int64_t store_ack_count(struct store *store, const char *sender, int64_t issue,
			time_t since, const char **error_r);
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

/* The adaptive fetch batch of an account (see imap_batch in
   transport.h): its size and the running counts of failed and good
   fetches. get returns 1 found, 0 never stored, -1 error; set 0/-1. */
int store_imap_batch_get(struct store *store, const char *account, long *size_r,
			 int *failures_r, int *successes_r,
			 const char **error_r);
int store_imap_batch_set(struct store *store, const char *account, long size,
			 int failures, int successes, const char **error_r);

/* What processing decided for one message, so that a message fetched
   again (after a crash, a dropped connection, a UIDVALIDITY change, a
   second copy) is filed the same way without running the rules again. */
struct store_imap_record {
	char *key; /* Message-ID, or "sha256:..." of the message */
	char *account;
	char *mailbox;
	uint32_t uidvalidity;
	uint32_t uid;
	char *folders; /* where the rules filed it, one per line; or NULL */
	char *flags;   /* space-separated IMAP flags from the rules */
	bool keep;     /* also stays in the polled mailbox */
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

/* ---- notices (store-notice.c) ---- */

/* A change notice to one recipient. Times are 0 when unset; ids 0 when
   unknown. Strings are owned by the struct (store_notice_clear). */
struct store_notice {
	int64_t id;
	int64_t customer;
	int64_t issue;
	char *to, *to_name, *cc, *subject, *message_id, *sender, *source;
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
	const char *reminder_id; /* or NULL: the notice whose reminder had
				    this Message-ID */
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
/* 1 when mail of ours other than a notice went to addr after `after`
   and up to `before` (the support core's recorded messages), 0, -1. */
int store_notice_later_mail(struct store *store, const char *addr, time_t after,
			    time_t before, const char **error_r);
/* The history of notice id, oldest first. Returns the count or -1. */
int store_notice_events(struct store *store, int64_t id,
			struct store_notice_event_list *list,
			const char **error_r);

/* ---- digest (store-digest.c): what the technicians' digest reads ---- */

/* An issue whose customer waits on us. */
struct store_digest_issue {
	int64_t number;
	char *subject;
	int64_t customer_id;
	char *customer_name, *company;
	char *state;
	time_t last_customer_at, last_ours_at;
	bool untold; /* resolved, but the customer was never told */
};

/* A customer nobody has written to or heard from lately. */
struct store_digest_customer {
	int64_t id;
	char *name, *company, *phones;
	time_t last_contact; /* 0: never */
};

/* Outgoing mail that keeps failing, and acknowledgements that bounced. */
struct store_digest_problem {
	char *kind; /* "failed", "retrying", "ack-bounced",
		       "rcpt-failed" (one recipient of a message that
		       reached the others) */
	int64_t outbox_id;
	char *rcpts;
	int64_t issue;
	int attempts;
	char *error; /* last error, or the bounce's failed recipient */
	time_t at;
};

void store_digest_issues_free(struct store_digest_issue *v, size_t n);
void store_digest_customers_free(struct store_digest_customer *v, size_t n);
void store_digest_problems_free(struct store_digest_problem *v, size_t n);
/* Open or waiting issues whose last message is the customer's and at
   least waiting_age old, then resolved issues whose customer was never
   told; oldest first. 0/-1. */
int store_digest_waiting_issues(struct store *store, time_t now,
				long waiting_age,
				struct store_digest_issue **v_r, size_t *n_r,
				const char **error_r);
/* Customers with no message either way (nor a notice) for quiet_after
   seconds, counted from their creation when there was never any;
   quietest first. 0/-1. */
int store_digest_quiet_customers(struct store *store, time_t now,
				 long quiet_after,
				 struct store_digest_customer **v_r,
				 size_t *n_r, const char **error_r);
/* Outbox messages failed for good or retried three times or more, and
   bounces of our acknowledgements, of the last week. 0/-1. */
int store_digest_mail_problems(struct store *store, time_t now,
			       struct store_digest_problem **v_r, size_t *n_r,
			       const char **error_r);
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
