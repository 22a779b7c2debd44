/*
 * test-store-migrate.c - migrations recorded in schema_migrations: a new
 * file gets them all, a lower number added later is still applied, a
 * database of the user_version era is taken over, a version this ackmail
 * does not know is refused, concurrent first opens migrate once.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "store-private.h"

static char dir[] = "/tmp/ackmail-store-migrate.XXXXXX";

/* One integer from sql, or -1. */
static long
query_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static size_t
n_migrations(void)
{
	size_t n = 0;

	while (store_migrations[n].sql != NULL)
		n++;
	return n;
}

static int
latest(void)
{
	return store_migrations[n_migrations() - 1].version;
}

/* store_migrations with extra rows (versions and table names) added in
   version order; static storage, ended by a NULL sql. */
static const struct store_migration *
with_extra(const int *versions, size_t n)
{
	static struct store_migration list[64];
	static char sql[8][64];
	size_t k = 0, e = 0;

	for (size_t i = 0; store_migrations[i].sql != NULL || e < n; i++) {
		while (e < n && (store_migrations[i].sql == NULL ||
				 versions[e] < store_migrations[i].version)) {
			snprintf(sql[e], sizeof(sql[e]),
				 "CREATE TABLE extra%d (x);", versions[e]);
			list[k++] = (struct store_migration){versions[e],
							     "extra", sql[e]};
			e++;
		}
		if (store_migrations[i].sql == NULL)
			break;
		list[k++] = store_migrations[i];
	}
	list[k] = (struct store_migration){0, NULL, NULL};
	return list;
}

static void
test_fresh(void **state)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/fresh.db", dir);

	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations"),
			 (long)n_migrations());
	for (size_t i = 0; i < n_migrations(); i++) {
		char *q = xasprintf("SELECT applied_at > 0 FROM "
				    "schema_migrations WHERE version = %d",
				    store_migrations[i].version);

		assert_row_int(i, query_int(s, q), 1);
		free(q);
	}
	assert_int_equal(store_schema_version(s), latest());
	store_close(&s);
	/* opened again: nothing to do, nothing recorded twice */
	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations"),
			 (long)n_migrations());
	store_close(&s);
	free(path);
}

static void
test_lower_number_later(void **state)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/later.db", dir);
	static const int high[] = {99}, both[] = {15, 99};

	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	/* a branch's migration 99 first... */
	assert_int_equal(store_migrate_list(s, with_extra(high, 1), &err), 0);
	assert_int_equal(store_schema_version(s), 99);
	assert_int_equal(query_int(s, "SELECT count(*) FROM extra99"), 0);
	/* ...then another branch's 15, below it: still applied */
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations "
				      "WHERE version = 15"),
			 0);
	assert_int_equal(store_migrate_list(s, with_extra(both, 2), &err), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM extra15"), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations "
				      "WHERE version IN (15, 99)"),
			 2);
	assert_int_equal(store_schema_version(s), 99);
	/* again: nothing applied twice (CREATE TABLE would fail) */
	assert_int_equal(store_migrate_list(s, with_extra(both, 2), &err), 0);
	store_close(&s);

	/* this ackmail does not know 15 and 99: a newer one's database */
	assert_int_equal(store_open(path, 1000, &s, &err), -1);
	assert_non_null(strstr(err, "not known"));
	free(path);
}

static void
test_user_version_era(void **state)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/legacy.db", dir);
	sqlite3 *db;
	int upto = store_migrations[1].version;

	/* what an ackmail of the user_version era left: the first two
	   migrations applied, user_version at the second */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (size_t i = 0; i < 2; i++)
		assert_row_int(
		    i,
		    sqlite3_exec(db, store_migrations[i].sql, NULL, NULL, NULL),
		    SQLITE_OK);
	{
		char *q = xasprintf("PRAGMA user_version = %d", upto);

		assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL),
				 SQLITE_OK);
		free(q);
	}
	sqlite3_close(db);

	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	/* the two are recorded as applied (at 0: before the table), not
	   run again; the rest is applied now */
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations "
				      "WHERE applied_at = 0"),
			 2);
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations"),
			 (long)n_migrations());
	assert_int_equal(store_schema_version(s), latest());
	store_close(&s);
	free(path);
}

static void
test_concurrent_first_open(void **state)
{
	enum { N = 12 };
	char *path = xasprintf("%s/race.db", dir);
	pid_t pids[N];
	struct store *s = NULL;
	const char *err = NULL;

	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct store *c = NULL;
			const char *e = NULL;

			_exit(store_open(path, 10000, &c, &e) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < N; i++) {
		int st;

		assert_row_int(i, waitpid(pids[i], &st, 0), pids[i]);
		assert_row_int(i, WIFEXITED(st) && WEXITSTATUS(st) == 0, 1);
	}
	assert_int_equal(store_open(path, 1000, &s, &err), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations"),
			 (long)n_migrations());
	store_close(&s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fresh),
	    cmocka_unit_test(test_lower_number_later),
	    cmocka_unit_test(test_user_version_era),
	    cmocka_unit_test(test_concurrent_first_open),
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
