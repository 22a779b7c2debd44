/*
 * transport.h - outgoing mail: submission by sendmail(8) or by SMTP
 * (libetpan), and the outbox that every outgoing message passes through;
 * and the IMAP client behind `ackmail poll` (section at the end).
 *
 * Every message ackmail sends (acknowledgements, vacation replies,
 * redirects, resolution notices, notices, digests) is first written to
 * the outbox table (store_outbox_add, inside the caller's store
 * transaction), and only then submitted by outbox_flush(). What fails
 * stays queued with exponential backoff; a 5xx answer (or a sendmail
 * exit other than a temporary one) fails the message at once; a message
 * still failing after [outbound] give_up_after is marked failed.
 *
 * Several recipients: over SMTP each has its own answer. The recipients
 * that accepted it, or refused it for good (5xx), are recorded with the
 * message (store_outbox_rcpt_mark) and never tried again; only those
 * with a temporary answer (4xx) are retried. The message is sent when
 * someone got it and nobody is left, failed when nobody got it.
 *
 * Exactly-once and the crash window: a message is claimed ("sending",
 * committed) before it is submitted and marked "sent" right after the
 * server accepted it (250 after DATA, or sendmail exit 0). Two flushers
 * never take the same row. If the process dies between the server's
 * acceptance and that commit (a few milliseconds), the row stays
 * "sending"; a later flush finds the claim stale (its process is gone)
 * and sends it again, with the same Message-ID so the recipient's
 * system can recognise the copy. That window is the only way a message
 * can go out twice; losing a message is not possible.
 */
#ifndef ACKMAIL_TRANSPORT_H
#define ACKMAIL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct config;
struct store;

enum transport_method { TRANSPORT_SENDMAIL, TRANSPORT_SMTP };
enum transport_tls {
	TRANSPORT_TLS_NONE,
	TRANSPORT_TLS_STARTTLS,
	TRANSPORT_TLS_IMPLICIT
};

struct transport_settings {
	enum transport_method method;
	struct strlist sendmail; /* argv of the sendmail command */
	char *host;
	int port;
	enum transport_tls tls;
	char *user, *password; /* AUTH PLAIN/LOGIN when user is set */
	char *ca_file;	       /* NULL: the system trust store */
	char *helo;	       /* our name in EHLO */
	long timeout;	       /* seconds, per SMTP step / sendmail run */
	long flush_budget_ms;  /* after a delivery */
	long give_up_after;    /* seconds */
};

/* Reads [outbound] from config: method (default sendmail when
   /usr/sbin/sendmail exists, else smtp), sendmail (a command, split on
   blanks), smtp_host (127.0.0.1), smtp_port (25, or 465 with implicit
   TLS), smtp_tls (none), smtp_user, smtp_password, smtp_ca_file,
   smtp_timeout (30s), flush_budget (5s), give_up_after (5d).
   Returns 0, or -1 with an error (caller frees *error_r). */
int transport_settings_load(const struct config *config,
			    struct transport_settings *s_r, char **error_r);
void transport_settings_free(struct transport_settings *s);

/* The result of one submission. */
enum transport_status {
	TRANSPORT_SENT = 0,
	TRANSPORT_TEMPFAIL, /* 4xx, connection trouble, timeout: retry */
	TRANSPORT_PERMFAIL, /* 5xx, sendmail refusing for good */
};

const char *transport_status_name(enum transport_status status);

/* A submission session: for SMTP one connection reused for a batch. */
struct transport;

struct transport *transport_new(const struct transport_settings *s);
/* Closes the connection (QUIT). */
void transport_free(struct transport **t);
/* Limits every following network step to end by deadline_ms
   (clock_monotonic_ms() time), 0 for no limit beyond the timeout. */
void transport_set_deadline(struct transport *t, uint64_t deadline_ms);
/* The answer for one recipient of a submission. */
struct transport_rcpt {
	enum transport_status status;
	char *reason; /* the refusal (caller frees), NULL when sent */
};

/* Submits one message: env_from ("" for <>), the recipients, the
   message (LF line ends). rcpt_r (may be NULL) gets one answer per
   recipient: over SMTP a recipient refused at RCPT TO (4xx: again
   later, 5xx: for good) does not keep the message from the others;
   sendmail gives all of them the same answer. Returns TRANSPORT_SENT
   when the message was accepted for at least one recipient (the
   refused ones are in rcpt_r), else the failure, its reason (the
   server's answer or what went wrong) in *reason_r (caller frees;
   NULL when every recipient took it). */
enum transport_status
transport_submit(struct transport *t, const char *env_from,
		 const struct strlist *rcpts, const char *data, size_t len,
		 struct transport_rcpt *rcpt_r, char **reason_r);
void transport_rcpts_free(struct transport_rcpt *v, size_t n);

/* ---- the outbox (transport-outbox.c) ---- */

struct outbox_stats {
	int sent, retry, failed, remaining;
	bool budget_spent; /* stopped because the time was up */
};

/* Queues a message in the outbox (inside the caller's transaction
   when one is open). rcpts: envelope recipients; message_id without
   brackets or NULL; issue 0 for none. Returns 0/-1. */
int outbox_queue(struct store *store, const char *kind, const char *env_from,
		 const struct strlist *rcpts, const char *data, size_t len,
		 const char *message_id, int64_t issue, int64_t *id_r,
		 const char **error_r);

/* Sends what is due, one message after another, until nothing is due
   or budget_ms (0: no limit) is spent. Stale claims of dead flushers
   are put back first. Returns 0, or -1 when the store failed (the
   submissions already marked stay marked). */
int outbox_flush(struct store *store, const struct transport_settings *s,
		 long budget_ms, struct outbox_stats *stats_r,
		 const char **error_r);

/* outbox_flush in a child process with its own store connection to
   db_path, waited for at most budget_ms and killed after that: however
   a server misbehaves, the caller (a delivery) is back within the
   bound. Returns 0 when the child finished, 1 when it was stopped, -1
   when it could not be started. stats_r filled when it finished. */
int outbox_flush_bounded(const char *db_path,
			 const struct transport_settings *s, long budget_ms,
			 struct outbox_stats *stats_r);

/* The next attempt after the n-th failure (n >= 1): 1 min, 2, 4, ...
   capped at 4 hours. */
long outbox_backoff(int attempts);

/* ==== IMAP client (imap.c) ==== */

enum imap_tls {
	IMAP_TLS_IMPLICIT = 0, /* TLS from the first byte (port 993) */
	IMAP_TLS_STARTTLS,     /* plain, then STARTTLS before LOGIN */
	IMAP_TLS_NONE,	       /* plain: only with allow_plain, loopback */
};

struct imap_settings {
	const char *host;
	int port; /* 0: 993 for implicit TLS, else 143 */
	enum imap_tls tls;
	const char *ca_file; /* PEM trust anchors; NULL: system store */
	bool allow_plain;    /* permit IMAP_TLS_NONE (loopback only) */
	const char *user;
	const char *password;
	long timeout; /* network timeout in seconds; 0: 60 */
};

struct imap_conn;

/* Connects, secures the connection (the server certificate is verified
   against ca_file or the system trust store and the host name, before
   any credential is sent), logs in (LOGIN, or AUTHENTICATE PLAIN when
   the server disables LOGIN) and reads the capabilities. Returns 0, or
   -1 with the reason in *error_r (static storage, valid until the next
   imap_connect). */
int imap_connect(const struct imap_settings *set, struct imap_conn **conn_r,
		 const char **error_r);
/* Logs out when the connection still works, and frees. */
void imap_close(struct imap_conn **conn);
/* Drops the connection without LOGOUT (after an error). */
void imap_abort(struct imap_conn **conn);

/* Modified UTF-7 mailbox names (RFC 3501 5.1.3), imap-utf7.c.
   imap_utf7_encode: UTF-8 -> the name as sent to the server; -1 for
   input that is not valid UTF-8. imap_utf7_decode: the server's name ->
   UTF-8; -1 for anything but the canonical modified UTF-7 spelling
   (the decoder is strict, so encode(decode(x)) == x). Both return 0
   with a malloc'd *out_r, or -1 with a static reason in *error_r. */
int imap_utf7_encode(const char *utf8, char **out_r, const char **error_r);
int imap_utf7_decode(const char *mutf7, char **out_r, const char **error_r);

/* Capabilities after login. */
bool imap_has_move(const struct imap_conn *conn);
bool imap_has_uidplus(const struct imap_conn *conn);
bool imap_has_idle(const struct imap_conn *conn);

/* SELECT mailbox. Sets its UIDVALIDITY, UIDNEXT and message count.
   Returns 0/-1. */
int imap_select(struct imap_conn *conn, const char *mailbox,
		uint32_t *uidvalidity_r, uint32_t *uidnext_r,
		uint32_t *exists_r, const char **error_r);

/* EXAMINE mailbox (read-only SELECT; for an IDLE watcher). As
   imap_select. */
int imap_examine(struct imap_conn *conn, const char *mailbox,
		 uint32_t *uidvalidity_r, uint32_t *uidnext_r,
		 uint32_t *exists_r, const char **error_r);

/* A list of UIDs, ascending. */
struct imap_uids {
	uint32_t *v;
	size_t n, cap;
};

void imap_uids_add(struct imap_uids *uids, uint32_t uid);
void imap_uids_free(struct imap_uids *uids);

/* UID SEARCH for the messages with a UID >= first, leaving out those
   carrying keyword without_flag (when not NULL). Appends the UIDs in
   ascending order. Returns 0/-1. */
int imap_search_from(struct imap_conn *conn, uint32_t first,
		     const char *without_flag, struct imap_uids *uids,
		     const char **error_r);

/* The size of the UID FETCH batches on a link that may be flaky: a
   fetch that fails mid-way loses the whole batch, so after
   IMAP_BATCH_SHRINK_AFTER failed fetches in a row the size is halved
   (down to 1: then every message that gets through is progress), and
   after IMAP_BATCH_GROW_AFTER good fetches in a row it is doubled again
   (up to max, the configured batch). imap-batch.c. */
#define IMAP_BATCH_SHRINK_AFTER 2
#define IMAP_BATCH_GROW_AFTER	4

struct imap_batch {
	long max, size;
	int failures, successes; /* in a row, at the current size */
};

/* Starts at max, or resumes a stored state (size clamped to 1..max). */
void imap_batch_init(struct imap_batch *b, long max, long size, int failures,
		     int successes);
/* Counts a failed / a good fetch. Return true when the size changed. */
bool imap_batch_failed(struct imap_batch *b);
bool imap_batch_succeeded(struct imap_batch *b);

/* One fetched message. */
struct imap_message {
	uint32_t uid;
	char *data; /* the whole message (BODY.PEEK[]), malloc'd */
	size_t len;
	struct strlist flags; /* as the server spells them, "\\Seen" */
};

/* One UID FETCH (BODY.PEEK[] FLAGS) for all of uids[0..n) in one round
   trip, the set sent as ranges. Messages that vanished meanwhile are
   simply missing from the answer. *msgs_r is sorted by UID; free with
   imap_messages_free. Returns 0/-1. */
int imap_fetch(struct imap_conn *conn, const uint32_t *uids, size_t n,
	       struct imap_message **msgs_r, size_t *count_r,
	       const char **error_r);
void imap_messages_free(struct imap_message **msgs, size_t count);

/* The personal namespace (RFC 2342): its prefix as the server spells
   it ("" or e.g. "INBOX.") and the hierarchy separator; from NAMESPACE
   when offered, else LIST "" "" and no prefix. Asked once per
   connection. Returns 0/-1. */
int imap_namespace(struct imap_conn *conn, const char **prefix_r, char *sep_r,
		   const char **error_r);
/* The server's name for a folder as a rule or the configuration wrote
   it (UTF-8, "Support.Acme", "Support/Grüße"): the parts joined by the
   server's separator, in modified UTF-7, inside the personal namespace
   (the prefix added unless the name already starts with it); "INBOX"
   stays "INBOX". Caller frees. Returns 0/-1 (-1 also for a name that
   is not UTF-8). */
int imap_folder_name(struct imap_conn *conn, const char *folder, char **name_r,
		     const char **error_r);
/* A server's mailbox name for logs and listings: decoded to UTF-8, or
   as the server spells it when it is not valid modified UTF-7. Caller
   frees. */
char *imap_folder_display(const char *name);
/* Every mailbox (LIST "" "*"), decoded, appended to names. 0/-1. */
int imap_list_folders(struct imap_conn *conn, struct strlist *names,
		      const char **error_r);
/* Creates mailbox (and its parents, by the server's rules) unless LIST
   shows that it exists. Returns 0/-1. */
int imap_ensure_mailbox(struct imap_conn *conn, const char *mailbox,
			const char **error_r);

/* Moves the messages to mailbox: UID MOVE (RFC 6851) when offered, else
   UID COPY, STORE +FLAGS \Deleted (and the processed flag) and UID
   EXPUNGE (RFC 4315). Without UIDPLUS there is no UID EXPUNGE: the
   messages also get the own flag, and the caller runs
   imap_expunge_own. */
int imap_move(struct imap_conn *conn, const uint32_t *uids, size_t n,
	      const char *mailbox, const char **error_r);

#define IMAP_OWN_DELETE_FLAG "$AckmailExpunge"

/* The keywords this client sets with \Deleted: processed_flag (NULL:
   none) marks the message as filed; own_flag (default
   IMAP_OWN_DELETE_FLAG) says that we set the \Deleted. */
void imap_set_marks(struct imap_conn *conn, const char *processed_flag,
		    const char *own_flag);
/* For a server without UIDPLUS, in the selected mailbox: a plain
   EXPUNGE removes every \Deleted message, also those another client
   marked and may still undelete. So it runs only when every \Deleted
   message carries the own flag (we deleted it); otherwise ours stay,
   marked \Deleted, processed and own, and a later call expunges them
   once the other \Deleted messages are gone (expunged or undeleted by
   their owner). The one window left: a message another client marks
   \Deleted between our UID SEARCH and the EXPUNGE (one round trip) is
   expunged with ours; it was on its way out, but its owner loses the
   chance to undelete it. With UIDPLUS does nothing. Returns 1
   expunged, 0 nothing to do or deferred (*left_r ours waiting,
   *foreign_r other \Deleted messages), -1 error. */
int imap_expunge_own(struct imap_conn *conn, size_t *left_r, size_t *foreign_r,
		     const char **error_r);
/* UID COPY to mailbox. */
int imap_copy(struct imap_conn *conn, const uint32_t *uids, size_t n,
	      const char *mailbox, const char **error_r);
/* UID STORE +FLAGS.SILENT: system flags ("\\Seen") and keywords. */
int imap_add_flags(struct imap_conn *conn, const uint32_t *uids, size_t n,
		   const char *const *flags, size_t nflags,
		   const char **error_r);
/* \Deleted and UID EXPUNGE (without UIDPLUS as imap_move says). */
int imap_delete(struct imap_conn *conn, const uint32_t *uids, size_t n,
		const char **error_r);
/* APPEND (tests and tools). */
int imap_append(struct imap_conn *conn, const char *mailbox, const char *data,
		size_t len, const char **error_r);

/* IDLE (RFC 2177): imap_idle_start sends IDLE; then wait for
   imap_idle_fd() to become readable (or a timeout, or a signal);
   imap_idle_done sends DONE and reads the answer. Returns 0/-1. */
int imap_idle_start(struct imap_conn *conn, const char **error_r);
int imap_idle_fd(struct imap_conn *conn);
int imap_idle_done(struct imap_conn *conn, const char **error_r);
/* True when the server's answer is already read into libetpan's buffer
   (so the descriptor will not become readable for it). */
bool imap_idle_pending(const struct imap_conn *conn);
/* NOOP: lets the server report new messages. 0/-1. */
int imap_noop(struct imap_conn *conn, const char **error_r);

#endif
