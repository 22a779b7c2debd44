/*
 * deliver-util.c - error texts and signal handling shared by the
 * delivery targets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "deliver-private.h"

const char *
deliver_error(bool with_errno, const char *fmt, ...)
{
	static char buf[1024];
	int saved = errno;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	else if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	if (with_errno && n >= 0 && (size_t)n < sizeof(buf) - 1)
		(void)snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s",
			       strerror(saved));
	errno = saved;
	return buf;
}

void
deliver_signals_hold(struct deliver_signals *ds)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGXFSZ, &sa, &ds->old_xfsz);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	(void)sigprocmask(SIG_BLOCK, &set, &ds->old_mask);
}

bool
deliver_signals_pending(void)
{
	sigset_t set;

	if (sigpending(&set) < 0)
		return false;
	return sigismember(&set, SIGHUP) == 1 ||
	       sigismember(&set, SIGINT) == 1 ||
	       sigismember(&set, SIGTERM) == 1;
}

void
deliver_signals_restore(struct deliver_signals *ds)
{
	int saved = errno;

	(void)sigaction(SIGXFSZ, &ds->old_xfsz, NULL);
	(void)sigprocmask(SIG_SETMASK, &ds->old_mask, NULL);
	errno = saved;
}
