/*
 * test-store-imap.c - lib/store/store-imap.c: the polling state per
 * account and mailbox, and the processed-message records.
 */
#include "unit.h"
#include "util.h"
#include "store.h"

static struct store *
open_tmp(char *dir)
{
	struct store *store = NULL;
	const char *error = NULL;
	char *path;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/t.db", dir);
	assert_int_equal(store_open(path, 1000, &store, &error), 0);
	free(path);
	return store;
}

static void
close_tmp(struct store **store, const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	store_close(store);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
test_state(void **state)
{
	static const struct {
		const char *account, *mailbox;
		uint32_t validity, last;
	} rows[] = {
	    {"support", "INBOX", 1700000000, 0},
	    {"support", "INBOX", 1700000000, 17},   /* advances */
	    {"support", "INBOX", 1800000000, 0},    /* UIDVALIDITY change */
	    {"support", "Archive", 5, 4294967295u}, /* another mailbox */
	    {"billing", "INBOX", 7, 3},		    /* another account */
	};
	char dir[] = "/tmp/ackmail-store-imap.XXXXXX";
	struct store *store = open_tmp(dir);
	const char *error = NULL;
	uint32_t v = 0, l = 0;

	(void)state;
	assert_int_equal(
	    store_imap_state_get(store, "support", "INBOX", &v, &l, &error), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		assert_row_int(i,
			       store_imap_state_set(
				   store, rows[i].account, rows[i].mailbox,
				   rows[i].validity, rows[i].last, &error),
			       0);
		assert_row_int(i,
			       store_imap_state_get(store, rows[i].account,
						    rows[i].mailbox, &v, &l,
						    &error),
			       1);
		assert_row_int(i, v, rows[i].validity);
		assert_row_int(i, l, rows[i].last);
	}
	/* the other mailbox kept its own state */
	assert_int_equal(
	    store_imap_state_get(store, "support", "INBOX", &v, &l, &error), 1);
	assert_int_equal(v, 1800000000);
	assert_int_equal(l, 0);
	close_tmp(&store, dir);
}

static void
test_records(void **state)
{
	static const struct {
		const char *key, *folders, *flags;
		bool keep;
		int add; /* expected store_imap_record_add */
	} rows[] = {
	    {"a@example.com", NULL, NULL, true, 0},
	    {"b@example.com", "Support.Acme", "\\Flagged", false, 0},
	    {"c@example.com", "One\nTwo", "$Label1 \\Seen", true, 0},
	    {"sha256:00ff", NULL, NULL, false, 0},
	    {"a@example.com", "Other", NULL, false, -1}, /* key taken */
	};
	char dir[] = "/tmp/ackmail-store-imap.XXXXXX";
	struct store *store = open_tmp(dir);
	const char *error = NULL;
	int64_t records, deliveries, dups, iter = 0;
	struct store_imap_record rec;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct store_imap_record in = {0};

		in.key = (char *)rows[i].key;
		in.account = (char *)"support";
		in.mailbox = (char *)"INBOX";
		in.uidvalidity = 9;
		in.uid = (uint32_t)i + 1;
		in.folders = (char *)rows[i].folders;
		in.flags = (char *)rows[i].flags;
		in.keep = rows[i].keep;
		in.at = 1795453200;
		assert_row_int(i, store_imap_record_add(store, &in, &error),
			       rows[i].add);
	}
	for (size_t i = 0; i + 1 < N_ELEMENTS(rows); i++) {
		assert_row_int(
		    i, store_imap_record_get(store, rows[i].key, &rec, &error),
		    1);
		assert_row_str(i, rec.key, rows[i].key);
		assert_row_int(i, rec.uid, i + 1);
		assert_row_int(i, rec.keep, rows[i].keep);
		if (rows[i].folders != NULL)
			assert_row_str(i, rec.folders, rows[i].folders);
		else
			assert_null(rec.folders);
		if (rows[i].flags != NULL)
			assert_row_str(i, rec.flags, rows[i].flags);
		assert_row_str(i, rec.outcome, "ok");
		store_imap_record_free(&rec);
	}
	assert_int_equal(
	    store_imap_record_get(store, "nobody@example.com", &rec, &error),
	    0);
	while (store_imap_record_next(store, &iter, &rec, &error) > 0) {
		assert_row_str(n, rec.key, rows[n].key);
		store_imap_record_free(&rec);
		n++;
	}
	assert_int_equal(n, N_ELEMENTS(rows) - 1);

	/* deliveries and Message-IDs delivered twice */
	assert_int_equal(store_delivery_log(store, "a@example.com", 1, "ok",
					    "INBOX", &error),
			 0);
	assert_int_equal(store_delivery_log(store, "b@example.com", 1, "ok",
					    "INBOX", &error),
			 0);
	assert_int_equal(
	    store_imap_counts(store, &records, &deliveries, &dups, &error), 0);
	assert_int_equal(records, 4);
	assert_int_equal(deliveries, 2);
	assert_int_equal(dups, 0);
	assert_int_equal(store_delivery_log(store, "a@example.com", 2, "ok",
					    "INBOX", &error),
			 0);
	assert_int_equal(
	    store_imap_counts(store, &records, &deliveries, &dups, &error), 0);
	assert_int_equal(dups, 1);
	close_tmp(&store, dir);
}

static void
test_batch(void **state)
{
	static const struct {
		const char *account;
		long size;
		int failures, successes;
	} rows[] = {
	    {"support", 50, 0, 0},
	    {"support", 25, 1, 0}, /* replaced */
	    {"billing", 1, 0, 3},  /* another account */
	};
	char dir[] = "/tmp/ackmail-store-imap.XXXXXX";
	struct store *store = open_tmp(dir);
	const char *error = NULL;
	long size = -1;
	int f = -1, g = -1;

	(void)state;
	assert_int_equal(
	    store_imap_batch_get(store, "support", &size, &f, &g, &error), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		assert_row_int(i,
			       store_imap_batch_set(
				   store, rows[i].account, rows[i].size,
				   rows[i].failures, rows[i].successes, &error),
			       0);
		assert_row_int(i,
			       store_imap_batch_get(store, rows[i].account,
						    &size, &f, &g, &error),
			       1);
		assert_row_int(i, size, rows[i].size);
		assert_row_int(i, f, rows[i].failures);
		assert_row_int(i, g, rows[i].successes);
	}
	assert_int_equal(
	    store_imap_batch_get(store, "support", &size, &f, &g, &error), 1);
	assert_int_equal(size, 25);
	close_tmp(&store, dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state),
	    cmocka_unit_test(test_records),
	    cmocka_unit_test(test_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
