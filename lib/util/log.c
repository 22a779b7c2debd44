/*
 * log.c - one logging path: syslog (facility mail) and standard error
 * (warnings and errors always; the rest from a terminal or with -v).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "util.h"

static const char *log_ident = "ackmail";
static bool log_stderr = true;
static bool log_syslog = false;
static int log_verbosity = 0;
static struct str *log_buf = NULL;

void
log_init(const char *ident, bool to_stderr, int verbosity)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_verbosity = verbosity;
	if (getenv("ACKMAIL_NO_SYSLOG") == NULL) {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
		log_syslog = true;
	}
}

void
log_set_stderr(bool to_stderr)
{
	log_stderr = to_stderr;
}

void
log_capture(struct str *buf)
{
	log_buf = buf;
}

static void ATTR_PRINTF(3, 0)
    log_vwrite(int pri, const char *errstr, const char *fmt, va_list ap)
{
	char msg[4096];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4); /* keep the head */
	if (log_syslog && pri != LOG_DEBUG) {
		if (errstr != NULL)
			syslog(pri, "%s: %s", msg, errstr);
		else
			syslog(pri, "%s", msg);
	}
	if (pri == LOG_DEBUG && log_verbosity < 1)
		return;
	if (log_buf != NULL) {
		str_append(log_buf, msg);
		if (errstr != NULL)
			str_printf(log_buf, ": %s", errstr);
		str_appendc(log_buf, '\n');
	} else if (log_stderr || pri <= LOG_WARNING) {
		/* warnings and errors always: an MTA keeps a delivery agent's
		   stderr in its log and its bounces, and says why it
		   deferred */
		if (errstr != NULL)
			fprintf(stderr, "%s: %s: %s\n", log_ident, msg, errstr);
		else
			fprintf(stderr, "%s: %s\n", log_ident, msg);
	}
}

#define LOG_FN(name, pri, with_errno)                                          \
	void name(const char *fmt, ...)                                        \
	{                                                                      \
		va_list ap;                                                    \
		int saved = errno;                                             \
		va_start(ap, fmt);                                             \
		log_vwrite(pri, with_errno ? strerror(saved) : NULL, fmt, ap); \
		va_end(ap);                                                    \
		errno = saved;                                                 \
	}

LOG_FN(log_warn, LOG_WARNING, 1)
LOG_FN(log_warnx, LOG_WARNING, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_debug, LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, strerror(saved), fmt, ap);
	va_end(ap);
	exit(75);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(75);
}
