/*
 * match-regex.c - the :regex match type (draft-ietf-sieve-regex) over
 * pcre2. Patterns are compiled once, when the rules are loaded.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

struct match_regex {
	pcre2_code *code;
};

int
match_regex_compile(const char *pattern, bool caseless,
		    struct match_regex **re_r, char **error_r)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	uint32_t opts = PCRE2_DOLLAR_ENDONLY;

	if (caseless)
		opts |= PCRE2_CASELESS;
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
			     &errcode, &erroff, NULL);
	if (code == NULL) {
		PCRE2_UCHAR buf[256];

		pcre2_get_error_message(errcode, buf, sizeof(buf));
		*error_r =
		    xasprintf("invalid regular expression '%s': %s "
			      "at offset %zu",
			      pattern, (const char *)buf, (size_t)erroff);
		return -1;
	}
	*re_r = xcalloc(1, sizeof(**re_r));
	(*re_r)->code = code;
	return 0;
}

int
match_regex_exec(const struct match_regex *re, const char *val, size_t vlen,
		 struct match_captures *caps)
{
	pcre2_match_data *md =
	    pcre2_match_data_create_from_pattern(re->code, NULL);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)val, vlen, 0, 0, md, NULL);

	if (rc == PCRE2_ERROR_NOMATCH) {
		pcre2_match_data_free(md);
		return 0;
	}
	if (rc < 0) {
		pcre2_match_data_free(md);
		return -1;
	}
	if (caps != NULL) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint32_t n = pcre2_get_ovector_count(md);

		match_captures_clear(caps);
		for (uint32_t i = 0; i < n && i < MATCH_MAX_CAPTURES; i++) {
			if (ov[2 * i] == PCRE2_UNSET)
				caps->v[i] = xstrdup("");
			else
				caps->v[i] = xstrndup(
				    val + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
			caps->n = (int)i + 1;
		}
	}
	pcre2_match_data_free(md);
	return 1;
}

void
match_regex_free(struct match_regex **rep)
{
	if (*rep == NULL)
		return;
	pcre2_code_free((*rep)->code);
	xfree(*rep);
}
