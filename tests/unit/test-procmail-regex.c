/*
 * test-procmail-regex.c - procmail's regex dialect against the
 * conformance table generated from the real procmail
 * (tests/procmail/gen-regex-table.py -> regex-table.tsv): match or not,
 * the score $= of weighted conditions, and MATCH.
 */
#include "unit.h"

#include "procmail.h"

#define TABLE "tests/procmail/regex-table.tsv"
#define MSGS  "tests/procmail/regex-messages.txt"

static char *
unescape(const char *s)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			str_appendc(&out, *s == 'n'   ? '\n'
					  : *s == 't' ? '\t'
						      : *s);
		} else
			str_appendc(&out, *s);
	}
	return str_steal(&out);
}

static void
test_table(void **state)
{
	char *msgs, *tab;
	size_t mlen, tlen, nrow = 0;
	const char *msgv[8];
	size_t msgl[8];
	int nmsg = 0;

	(void)state;
	assert_int_equal(path_read_file(MSGS, 1 << 20, &msgs, &mlen), 0);
	assert_int_equal(path_read_file(TABLE, 8 << 20, &tab, &tlen), 0);
	for (size_t i = 0; i < mlen && nmsg < 8;) {
		const char *z = memchr(msgs + i, '\0', mlen - i);

		msgv[nmsg] = msgs + i;
		msgl[nmsg++] = (size_t)(z - (msgs + i));
		i = (size_t)(z - msgs) + 1;
	}
	for (char *line = strtok(tab, "\n"); line != NULL;
	     line = strtok(NULL, "\n"), nrow++) {
		char *f[6];
		int k = 0;
		char *p = line;

		for (; k < 6; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p == NULL) {
				k++;
				break;
			}
			*p++ = '\0';
		}
		if (k < 6)
			fail_msg("row %zu: malformed", nrow);
		char *cond = unescape(f[1]), *match = NULL;
		int mi = atoi(f[2]);
		long score = 0;
		int r =
		    pm_probe(f[0], cond, msgv[mi], msgl[mi], &match, &score);

		if (r != atoi(f[3]))
			fail_msg(
			    "row %zu: [%s] %s msg %d: matched %d, procmail "
			    "%s",
			    nrow, f[0], f[1], mi, r, f[3]);
		assert_row_int(nrow, score, atol(f[4]));
		if (strcmp(f[5], "-") == 0) {
			if (match != NULL)
				fail_msg("row %zu: %s: MATCH set to \"%s\"",
					 nrow, f[1], match);
		} else {
			char *want = unescape(f[5]);

			assert_row_str(nrow, match, want);
			free(want);
		}
		free(match);
		free(cond);
	}
	assert_true(nrow >= 1000);
	free(msgs);
	free(tab);
}

struct rx_case {
	const char *re;
	const char *text;
	int match;
};

static const struct rx_case rx_cases[] = {
    {"a+b", "xaab", 1},	 {"[^x]", "\n", 0},   {"^^abc", "abc", 1},
    {"^^bc", "abc", 0},	 {"abc^^", "abc", 1}, {"(a|b)*c", "abac", 1},
    {"a{2}", "aa", 0},	 {"a{2}", "a{2}", 1}, {"\\d", "d", 1},
    {"x\\<y", "x y", 1}, {"((a))", "a", 1},   {"[]]", "]", 1},
};

static void
test_regex_api(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rx_cases); i++) {
		const char *err;
		struct pm_regex *re = pm_regex_compile(
		    rx_cases[i].re, strlen(rx_cases[i].re), false, &err);

		if (re == NULL)
			fail_msg("row %zu: %s", i, err);
		assert_row_int(i,
			       pm_regex_search(re, rx_cases[i].text,
					       strlen(rx_cases[i].text), 0,
					       NULL),
			       rx_cases[i].match);
		pm_regex_free(&re);
	}
}

static void
test_regex_errors(void **state)
{
	static const char *const bad[] = {"(a", "a)", "[abc"};

	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(bad); i++) {
		const char *err = NULL;
		struct pm_regex *re =
		    pm_regex_compile(bad[i], strlen(bad[i]), false, &err);

		assert_row_int(i, re == NULL, 1);
		assert_row_int(i, err != NULL, 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_regex_api),
	    cmocka_unit_test(test_regex_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
