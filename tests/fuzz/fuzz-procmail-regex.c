/*
 * fuzz-procmail-regex.c - procmail's regex dialect: compile the first
 * line as a pattern and search, count and extract on the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t plen = nl ? (size_t)(nl - s) : size;
	const char *text = nl ? nl + 1 : s + size;
	size_t tlen = size - (size_t)(text - s);
	const char *err;
	struct pm_regex *re;
	struct pm_match m;

	if (plen > 2000)
		return 0;
	re = pm_regex_compile(s, plen, plen & 1, &err);
	if (re == NULL)
		return 0;
	if (pm_regex_search(re, text, tlen, 0, &m) > 0 && m.has_match &&
	    (m.match_start > tlen || m.match_end > tlen ||
	     m.match_start > m.match_end))
		abort();
	(void)pm_regex_count(re, text, tlen, 1000);
	pm_regex_free(&re);
	return 0;
}
