/*
 * test-match.c - match types, comparators and address parts (lib/match).
 */
#include "unit.h"

#include "match.h"

static const struct {
	const char *val, *key;
	bool casemap;
	bool want;
	const char *cap1;
} glob_rows[] = {
    {"hello world", "h*d", true, true, "ello worl"},
    {"hello world", "H*D", true, true, "ello worl"},
    {"hello world", "H*D", false, false, NULL},
    {"[acme] [fwd] v1", "[*] *", true, true, "acme"},
    {"abc", "a?c", true, true, "b"},
    /* "?" is one octet (RFC 5228 2.7.1 for these comparators) */
    {"aöc", "a?c", true, false, NULL},
    {"aöc", "a??c", true, true, "\xc3"},
    {"aöc", "a??c", false, true, "\xc3"},
    {"xö", "*?", true, true, "x\xc3"},
    {"abc", "a\\?c", true, false, NULL},
    {"a?c", "a\\?c", true, true, NULL},
    {"a*c", "a\\*c", true, true, NULL},
    {"", "*", true, true, ""},
    {"", "?", true, false, NULL},
    {"abcabc", "*c", true, true, "abcab"},
    {"x", "**", true, true, ""},
};

static void
test_glob(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(glob_rows); i++) {
		struct match_captures caps = {0};
		const struct match_comparator *c =
		    glob_rows[i].casemap ? &match_comparator_casemap
					 : &match_comparator_octet;
		bool r = match_glob(c, glob_rows[i].val,
				    strlen(glob_rows[i].val), glob_rows[i].key,
				    strlen(glob_rows[i].key), &caps);

		assert_row_int(i, r, glob_rows[i].want);
		if (r && glob_rows[i].cap1 != NULL)
			assert_row_str(i, caps.v[1], glob_rows[i].cap1);
		match_captures_clear(&caps);
	}
}

static const struct {
	const char *a, *b;
	int sign;
} numeric_rows[] = {
    {"12", "12", 0}, {"012", "12", 0}, {"9", "10", -1},
    {"10", "9", 1},  {"x", "y", 0},    {"x", "5", 1},
    {"5", "x", -1},  {"7abc", "7", 0}, {"", "0", 1},
};

static void
test_numeric(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(numeric_rows); i++) {
		int r = match_comparator_numeric.compare(
		    numeric_rows[i].a, strlen(numeric_rows[i].a),
		    numeric_rows[i].b, strlen(numeric_rows[i].b));

		assert_row_int(i, (r > 0) - (r < 0), numeric_rows[i].sign);
	}
}

static const struct {
	const char *addr;
	enum match_addrpart part;
	const char *want;
} addr_rows[] = {
    {"jane+work@example.com", MATCH_ADDR_ALL, "jane+work@example.com"},
    {"jane+work@example.com", MATCH_ADDR_LOCALPART, "jane+work"},
    {"jane+work@example.com", MATCH_ADDR_DOMAIN, "example.com"},
    {"jane+work@example.com", MATCH_ADDR_USER, "jane"},
    {"jane+work@example.com", MATCH_ADDR_DETAIL, "work"},
    {"jane@example.com", MATCH_ADDR_DETAIL, NULL},
    {"jane+@example.com", MATCH_ADDR_DETAIL, ""},
};

static void
test_address(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(addr_rows); i++) {
		char *p = match_address_part(addr_rows[i].addr,
					     addr_rows[i].part, "+");

		if (addr_rows[i].want == NULL)
			assert_row_int(i, p == NULL, 1);
		else
			assert_row_str(i, p, addr_rows[i].want);
		free(p);
	}
}

static void
test_regex(void **state)
{
	struct match_regex *re = NULL;
	struct match_captures caps = {0};
	char *err = NULL;

	assert_int_equal(
	    match_regex_compile("^t(ick)et #([0-9]+)", true, &re, &err), 0);
	assert_int_equal(match_regex_exec(re, "Ticket #42", 10, &caps), 1);
	assert_string_equal(caps.v[2], "42");
	assert_int_equal(match_regex_exec(re, "no", 2, &caps), 0);
	match_regex_free(&re);
	match_captures_clear(&caps);
	assert_int_equal(match_regex_compile("(", false, &re, &err), -1);
	assert_non_null(err);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_glob),
	    cmocka_unit_test(test_numeric),
	    cmocka_unit_test(test_address),
	    cmocka_unit_test(test_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
