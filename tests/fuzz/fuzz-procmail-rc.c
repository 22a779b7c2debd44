/*
 * fuzz-procmail-rc.c - the procmailrc parser on arbitrary input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "procmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_rc *rc = NULL;
	struct diag diag = {0};

	(void)pm_parse("fuzz.rc", (const char *)data, size, &rc, &diag);
	(void)pm_detect((const char *)data, size);
	pm_rc_free(&rc);
	diag_free(&diag);
	return 0;
}
