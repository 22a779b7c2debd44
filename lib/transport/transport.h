/*
 * transport.h - talking to other mail servers: SMTP and sendmail(8)
 * submission, the outbox, and the IMAP client (libetpan) behind
 * `ackmail poll`.
 *
 * Return convention: -1 error (reason in *error_r, valid until the next
 * call on the same object), 0 no/none, 1 yes.
 */
#ifndef ACKMAIL_TRANSPORT_H
#define ACKMAIL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

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

/* Capabilities after login. */
bool imap_has_move(const struct imap_conn *conn);
bool imap_has_uidplus(const struct imap_conn *conn);
bool imap_has_idle(const struct imap_conn *conn);

/* SELECT mailbox. Sets its UIDVALIDITY, UIDNEXT and message count.
   Returns 0/-1. */
int imap_select(struct imap_conn *conn, const char *mailbox,
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

/* The server's name for a folder as a rule wrote it ("Support.Acme" or
   "Support/Acme"): the parts joined by the server's hierarchy separator
   (from LIST "" ""). Caller frees. Returns 0/-1. */
int imap_folder_name(struct imap_conn *conn, const char *folder, char **name_r,
		     const char **error_r);
/* Creates mailbox (and its parents, by the server's rules) unless LIST
   shows that it exists. Returns 0/-1. */
int imap_ensure_mailbox(struct imap_conn *conn, const char *mailbox,
			const char **error_r);

/* Moves the messages to mailbox: UID MOVE (RFC 6851) when offered, else
   UID COPY, STORE +FLAGS \Deleted and UID EXPUNGE (RFC 4315; without
   UIDPLUS the \Deleted messages stay until someone expunges). */
int imap_move(struct imap_conn *conn, const uint32_t *uids, size_t n,
	      const char *mailbox, const char **error_r);
/* UID COPY to mailbox. */
int imap_copy(struct imap_conn *conn, const uint32_t *uids, size_t n,
	      const char *mailbox, const char **error_r);
/* UID STORE +FLAGS.SILENT: system flags ("\\Seen") and keywords. */
int imap_add_flags(struct imap_conn *conn, const uint32_t *uids, size_t n,
		   const char *const *flags, size_t nflags,
		   const char **error_r);
/* \Deleted and UID EXPUNGE (or only \Deleted without UIDPLUS). */
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
/* NOOP: lets the server report new messages. 0/-1. */
int imap_noop(struct imap_conn *conn, const char **error_r);

#endif
