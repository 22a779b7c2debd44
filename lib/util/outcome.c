/*
 * outcome.c - mail outcomes and their one mapping to sysexits(3).
 */
#include <errno.h>
#include <sysexits.h>

#include "util.h"

int
outcome_exit_code(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_OK:
		return EX_OK;
	case OUTCOME_TEMPFAIL:
	case OUTCOME_KEEP_FAILED:
		return EX_TEMPFAIL;
	case OUTCOME_PERMFAIL:
		return EX_NOPERM;
	case OUTCOME_USAGE:
		return EX_USAGE;
	case OUTCOME_DATAERR:
		return EX_DATAERR;
	case OUTCOME_CONFIG:
		return EX_CONFIG;
	case OUTCOME_SOFTWARE:
		return EX_SOFTWARE;
	}
	return EX_SOFTWARE;
}

const char *
outcome_name(enum outcome outcome)
{
	static const char *const names[] = {
	    [OUTCOME_OK] = "ok",
	    [OUTCOME_TEMPFAIL] = "tempfail",
	    [OUTCOME_PERMFAIL] = "permfail",
	    [OUTCOME_KEEP_FAILED] = "keep-failed",
	    [OUTCOME_USAGE] = "usage",
	    [OUTCOME_DATAERR] = "data-error",
	    [OUTCOME_CONFIG] = "config-error",
	    [OUTCOME_SOFTWARE] = "software-error",
	};

	if ((unsigned)outcome < N_ELEMENTS(names))
		return names[outcome];
	return "unknown";
}

static int
outcome_rank(enum outcome o)
{
	switch (o) {
	case OUTCOME_OK:
		return 0;
	case OUTCOME_PERMFAIL:
		return 1;
	case OUTCOME_DATAERR:
	case OUTCOME_USAGE:
	case OUTCOME_CONFIG:
		return 2;
	case OUTCOME_TEMPFAIL:
		return 3;
	case OUTCOME_SOFTWARE:
		return 4;
	case OUTCOME_KEEP_FAILED:
		return 5;
	}
	return 5;
}

enum outcome
outcome_worst(enum outcome a, enum outcome b)
{
	return outcome_rank(a) >= outcome_rank(b) ? a : b;
}

enum outcome
outcome_from_errno(int err)
{
	/* Every local delivery error is transient: a full disk, a missing
	   permission or a lock timeout can all be fixed by an admin, and the
	   MTA keeps the message meanwhile. Nothing here bounces mail. */
	(void)err;
	return OUTCOME_TEMPFAIL;
}
