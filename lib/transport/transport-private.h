/*
 * transport-private.h - internals of lib/transport.
 */
#ifndef ACKMAIL_TRANSPORT_PRIVATE_H
#define ACKMAIL_TRANSPORT_PRIVATE_H

#include <signal.h>

#include "transport.h"

struct smtp_conn;

struct transport {
	const struct transport_settings *s;
	uint64_t deadline_ms;	/* 0: none */
	long step_timeout;	/* seconds, for the next step */
	struct smtp_conn *smtp; /* open SMTP session, or NULL */
	struct sigaction old_pipe;
};

/* Computes t->step_timeout from the settings and the deadline. */
void transport_step_timeout(struct transport *t);
/* True when the SMTP host is the loopback (AUTH without TLS allowed). */
bool transport_host_local(const struct transport_settings *s);

/* rcpt_r: one answer per recipient, always given (all TRANSPORT_SENT
   on entry). */
enum transport_status
transport_smtp_submit(struct transport *t, const char *env_from,
		      const struct strlist *rcpts, const char *data, size_t len,
		      struct transport_rcpt *rcpt_r, char **reason_r);
void transport_smtp_quit(struct transport *t);
enum transport_status transport_sendmail_submit(struct transport *t,
						const char *env_from,
						const struct strlist *rcpts,
						const char *data, size_t len,
						char **reason_r);

#endif
