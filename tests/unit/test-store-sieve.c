/*
 * test-store-sieve.c - vacation and duplicate records in SQLite on disk.
 */
#include "unit.h"

#include "store.h"

static char dir[] = "/tmp/ackmail-store-sieve.XXXXXX";

static void
test_vacation(void **state)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/a.db", dir);
	static const struct {
		const char *sender, *handle;
		time_t since;
		int want;
	} rows[] = {
	    {"a@example.com", "h", 900, 1},  {"A@EXAMPLE.COM", "h", 900, 1},
	    {"a@example.com", "h", 1001, 0}, {"a@example.com", "x", 0, 0},
	    {"b@example.com", "h", 0, 0},
	};

	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	assert_int_equal(
	    store_vacation_record(s, "a@example.com", "h", 1000, &err), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++)
		assert_row_int(i,
			       store_vacation_seen(s, rows[i].sender,
						   rows[i].handle,
						   rows[i].since, &err),
			       rows[i].want);
	store_close(&s);
	free(path);
}

static void
test_duplicate(void **state)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/b.db", dir);

	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	assert_int_equal(store_duplicate_seen(s, "id1", 0, 1000, &err), 0);
	assert_int_equal(store_duplicate_record(s, "id1", 1000, 60, &err), 0);
	assert_int_equal(store_duplicate_seen(s, "id1", 0, 1030, &err), 1);
	assert_int_equal(store_duplicate_seen(s, "id1", 0, 1061, &err), 0);
	assert_int_equal(store_duplicate_record(s, "id2", 2000, 60, &err), 0);
	/* id1 expired and was dropped */
	assert_int_equal(store_duplicate_seen(s, "id1", 0, 0, &err), 0);
	store_close(&s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vacation),
	    cmocka_unit_test(test_duplicate),
	};
	int r;

	if (mkdtemp(dir) == NULL)
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			r = 1;
		free(cmd);
	}
	return r;
}
