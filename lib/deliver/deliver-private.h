/*
 * deliver-private.h - helpers shared by the files of lib/deliver only.
 */
#ifndef ACKMAIL_DELIVER_PRIVATE_H
#define ACKMAIL_DELIVER_PRIVATE_H

#include <signal.h>

#include "deliver.h"
#include "util.h"

/* Formats an error reason into a static buffer, appending
   ": strerror(errno)" when with_errno is set. errno is preserved. The
   text stays valid until the next call. */
const char *deliver_error(bool with_errno, const char *fmt, ...)
    ATTR_PRINTF(2, 3);

/* While a message is written: SIGXFSZ is ignored (so an exceeded file
   size limit is a write error, EFBIG, not a killed process) and HUP,
   INT, TERM are held back so a half-written mbox can still be truncated;
   a signal that arrived meanwhile is delivered by deliver_signals_restore. */
struct deliver_signals {
	struct sigaction old_xfsz;
	sigset_t old_mask;
};

void deliver_signals_hold(struct deliver_signals *ds);
/* True when one of the held-back signals arrived meanwhile. */
bool deliver_signals_pending(void);
void deliver_signals_restore(struct deliver_signals *ds);

#endif
