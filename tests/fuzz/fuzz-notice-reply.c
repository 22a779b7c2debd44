/*
 * fuzz-notice-reply.c - what the notices engine reads from incoming
 * mail: the return date of an out-of-office text, the excerpt of a reply,
 * the question test, the subject tag, and deadline specifications.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct notice_time nt;
	static int ready;
	char *s = xstrndup((const char *)data, size);
	char *ex;
	int64_t issue;
	long amount;
	enum notice_time_unit unit;
	time_t d;
	const char *err;

	if (!ready) {
		notice_time_init(&nt, NULL, &err);
		notice_time_set_zone(&nt, "Europe/Berlin", &err);
		ready = 1;
	}
	(void)notices_away_until(&nt, s, 1795453200);
	ex = notices_excerpt(s, 64);
	free(ex);
	(void)notices_text_is_question(s);
	(void)notices_subject_tag(s, &issue);
	if (notice_time_parse_span(&nt, s, &amount, &unit) == 0)
		(void)notice_time_add(&nt, 1795453200, amount % 1000, unit);
	(void)notice_time_deadline(&nt, 1795453200, s, NULL, (time_t)-1, NULL,
				   &d, &err);
	(void)notice_time_set_hours(&nt, s, &err);
	notice_time_set_hours(&nt, "Mon-Fri 08:00-17:00", &err);
	free(s);
	return 0;
}
