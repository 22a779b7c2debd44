/*
 * test-util.c - lib/util: strings, durations, dates, configuration.
 */
#include "unit.h"
#include "util.h"

static void
test_duration(void **state)
{
	static const struct {
		const char *in;
		int ret;
		long secs;
	} rows[] = {
	    {"90", 0, 90},	   {"90s", 0, 90},    {"15m", 0, 900},
	    {"48h", 0, 172800},	   {"2d", 0, 172800}, {"1w", 0, 604800},
	    {"2 days", 0, 172800}, {"x", -1, 0},      {"5q", -1, 0},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		long s = 0;
		int r = clock_parse_duration(rows[i].in, &s);

		assert_row_int(i, r, rows[i].ret);
		if (r == 0)
			assert_row_int(i, s, rows[i].secs);
	}
}

static void
test_iso8601(void **state)
{
	static const struct {
		const char *in;
		int ret;
		long long t;
	} rows[] = {
	    {"2026-11-23T17:00:00Z", 0, 1795453200},
	    {"2026-11-23T18:00:00+01:00", 0, 1795453200},
	    {"2026-11-23 17:00Z", 0, 1795453200},
	    {"@1795453200", 0, 1795453200},
	    {"2026-13-01", -1, 0},
	    {"yesterday", -1, 0},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		time_t t = 0;
		int r = clock_parse_iso8601(rows[i].in, &t);

		assert_row_int(i, r, rows[i].ret);
		if (r == 0)
			assert_row_int(i, t, rows[i].t);
	}
}

static void
test_config(void **state)
{
	char path[] = "/tmp/ackmail-conf.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "# c\n[support]\naddress = support@example.com "
			   "# comment\nname = \"Help ; Desk\"\n"
			   "[imap \"acct\"]\nhost = 127.0.0.1\n"
			   "[notices]\ndeadline = 2x\n[bogus]\nk = v\n";
	struct config *c;
	char *err = NULL;
	struct str errors = STR_INIT;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write_full(fd, text, strlen(text)), 0);
	close(fd);
	assert_int_equal(config_load(path, &c, &err), 0);
	assert_string_equal(config_get(c, "support", NULL, "address"),
			    "support@example.com");
	assert_string_equal(config_get(c, "support", NULL, "name"),
			    "Help ; Desk");
	assert_string_equal(config_get(c, "imap", "acct", "host"), "127.0.0.1");
	assert_null(config_get(c, "imap", NULL, "host"));
	assert_int_equal(config_validate(c, &errors), 2);
	assert_non_null(strstr(str_c(&errors), ":8: deadline: expected"));
	assert_non_null(strstr(str_c(&errors), ":10: unknown section [bogus]"));
	str_free(&errors);
	config_free(&c);
	unlink(path);
}

static void
test_config_errors(void **state)
{
	static const struct {
		const char *text;
		const char *err;
	} rows[] = {
	    {"key = v\n", ":1: key outside of a section"},
	    {"[a\n", ":1: malformed section header"},
	    {"[s]\nnovalue\n", ":2: expected 'key = value'"},
	    {"[s]\nk = \"open\n", ":2: unterminated quoted value"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char path[] = "/tmp/ackmail-conf.XXXXXX";
		int fd = mkstemp(path);
		struct config *c = NULL;
		char *err = NULL;

		assert_int_equal(
		    write_full(fd, rows[i].text, strlen(rows[i].text)), 0);
		close(fd);
		assert_row_int(i, config_load(path, &c, &err), -1);
		if (strstr(err, rows[i].err) == NULL)
			fail_msg("row %zu: %s", i, err);
		free(err);
		unlink(path);
	}
}

static void
test_str(void **state)
{
	struct str s = STR_INIT;
	struct strlist l = {0};

	(void)state;
	str_append_json(&s, "a\"b\\c\n\x01");
	assert_string_equal(str_c(&s), "\"a\\\"b\\\\c\\n\\u0001\"");
	str_free(&s);
	/* one code point of each UTF-8 length */
	str_append_utf8(&s, 0x41);
	str_append_utf8(&s, 0xe9);
	str_append_utf8(&s, 0x20ac);
	str_append_utf8(&s, 0x1f600);
	assert_string_equal(str_c(&s), "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	str_free(&s);
	strlist_split(&l, "  a  b,c ", " ,");
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[2], "c");
	assert_true(strlist_contains_case(&l, "B"));
	strlist_free(&l);
	assert_non_null(memcasemem("xxHeLLo", 7, "hello", 5));
	assert_int_equal(outcome_exit_code(OUTCOME_TEMPFAIL), 75);
	assert_int_equal(outcome_exit_code(OUTCOME_KEEP_FAILED), 75);
	assert_int_equal(outcome_worst(OUTCOME_OK, OUTCOME_TEMPFAIL),
			 OUTCOME_TEMPFAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_iso8601),
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_config_errors),
	    cmocka_unit_test(test_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
