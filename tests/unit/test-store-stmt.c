/*
 * test-store-stmt.c - the store's statement helpers (store-stmt.c): the
 * type letters, the cache, and that no statement is left holding a read
 * transaction. SQLite on disk.
 */
#include "unit.h"

#include "store-private.h"

static char dir[] = "/tmp/ackmail-store-stmt.XXXXXX";

static struct store *
open_store(const char *name, long busy_ms)
{
	struct store *s = NULL;
	const char *err = NULL;
	char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(store_open(path, busy_ms, &s, &err), 0);
	free(path);
	return s;
}

/* The statements of the connection; with busy_only those stepped and not
   reset. */
static int
statements(struct store *s, bool busy_only)
{
	sqlite3_stmt *st = NULL;
	int n = 0;

	while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
		n += !busy_only || sqlite3_stmt_busy(st) != 0;
	return n;
}

static void
test_types(void **state)
{
	static const char blob[] = {'a', '\0', 'b'};
	static const struct {
		const char *types;
		const char *sql;
		int64_t id;
		int type;     /* of column v */
		int64_t ival; /* when an integer */
		const char *text;
		int len;
	} rows[] = {
	    {"It", "INSERT INTO t (id, v) VALUES (?, ?)", 1, SQLITE_TEXT, 0,
	     "x", 1},
	    {"It", "INSERT INTO t (id, v) VALUES (?, ?)", 2, SQLITE_NULL, 0,
	     NULL, 0},
	    {"Ii", "INSERT INTO t (id, v) VALUES (?, ?)", 3, SQLITE_INTEGER, -7,
	     NULL, 0},
	    {"II", "INSERT INTO t (id, v) VALUES (?, ?)", 4, SQLITE_INTEGER,
	     INT64_C(5000000000), NULL, 0},
	    {"IT", "INSERT INTO t (id, v) VALUES (?, ?)", 5, SQLITE_INTEGER,
	     INT64_C(4102444800), NULL, 0},
	    {"In", "INSERT INTO t (id, v) VALUES (?, ?)", 6, SQLITE_NULL, 0,
	     NULL, 0},
	    {"In", "INSERT INTO t (id, v) VALUES (?, ?)", 7, SQLITE_INTEGER,
	     INT64_C(-5000000000), NULL, 0},
	    {"Ib", "INSERT INTO t (id, v) VALUES (?, ?)", 8, SQLITE_BLOB, 0,
	     blob, 3},
	};
	struct store *s = open_store("types.db", 1000);
	const char *err = NULL;

	assert_int_equal(
	    store_exec(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)", &err),
	    0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		const char *t = rows[i].types;
		int r = -1;

		if (strcmp(t, "It") == 0)
			r = store_run(s, "t", &err, rows[i].sql, t, rows[i].id,
				      rows[i].text);
		else if (strcmp(t, "Ii") == 0)
			r = store_run(s, "t", &err, rows[i].sql, t, rows[i].id,
				      (int)rows[i].ival);
		else if (strcmp(t, "II") == 0 || strcmp(t, "In") == 0)
			r = store_run(s, "t", &err, rows[i].sql, t, rows[i].id,
				      rows[i].ival);
		else if (strcmp(t, "IT") == 0)
			r = store_run(s, "t", &err, rows[i].sql, t, rows[i].id,
				      (time_t)rows[i].ival);
		else if (strcmp(t, "Ib") == 0)
			r = store_run(s, "t", &err, rows[i].sql, t, rows[i].id,
				      (const void *)rows[i].text,
				      (size_t)rows[i].len);
		assert_row_int(i, r, 1);
	}
	/* one cached statement for the one INSERT text */
	assert_int_equal(statements(s, false), 1);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		sqlite3_stmt *st;

		assert_row_int(i,
			       store_row(s, &st, "t", &err,
					 "SELECT v FROM t WHERE id = ?", "I",
					 rows[i].id),
			       1);
		assert_row_int(i, sqlite3_column_type(st, 0), rows[i].type);
		if (rows[i].type == SQLITE_INTEGER)
			assert_row_int(i, sqlite3_column_int64(st, 0),
				       rows[i].ival);
		if (rows[i].type == SQLITE_TEXT ||
		    rows[i].type == SQLITE_BLOB) {
			assert_row_int(i, sqlite3_column_bytes(st, 0),
				       rows[i].len);
			assert_row_int(i,
				       memcmp(sqlite3_column_blob(st, 0),
					      rows[i].text, rows[i].len),
				       0);
		}
		store_stmt_end(s, st);
		assert_row_int(i, statements(s, true), 0);
	}
	assert_int_equal(statements(s, false), 2);
	store_close(&s);
}

static void
test_rows(void **state)
{
	struct store *s = open_store("rows.db", 1000);
	const char *err = NULL;
	sqlite3_stmt *a, *b;
	int64_t n = -1;
	int r, seen = 0;

	assert_int_equal(
	    store_exec(s,
		       "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
		       "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'x')",
		       &err),
	    0);
	/* store_row without st_r: whether there is a row, ended */
	assert_int_equal(store_row(s, NULL, "t", &err,
				   "SELECT 1 FROM t WHERE v = ?", "t", "two"),
			 1);
	assert_int_equal(store_row(s, NULL, "t", &err,
				   "SELECT 1 FROM t WHERE v = ?", "t", "none"),
			 0);
	assert_int_equal(statements(s, true), 0);
	assert_int_equal(store_row_int64(s, &n, "count", &err,
					 "SELECT count(*) FROM t WHERE id > ?",
					 "I", (int64_t)1),
			 0);
	assert_int_equal(n, 2);
	/* no row where one must be is an error named by what */
	assert_int_equal(store_row_int64(s, &n, "count", &err,
					 "SELECT id FROM t WHERE id > ?", "I",
					 (int64_t)9),
			 -1);
	assert_non_null(strstr(err, ": count: "));
	/* a loop, and the same text again inside it: its own statement */
	a = store_stmt_begin(s, &err, "SELECT id FROM t WHERE id >= ?", "I",
			     (int64_t)1);
	assert_non_null(a);
	while ((r = store_stmt_next(s, a, "loop", &err)) > 0) {
		b = store_stmt_begin(s, &err, "SELECT id FROM t WHERE id >= ?",
				     "I", sqlite3_column_int64(a, 0));
		assert_non_null(b);
		assert_true(b != a);
		assert_int_equal(store_stmt_next(s, b, "inner", &err), 1);
		assert_int_equal(sqlite3_column_int64(b, 0),
				 sqlite3_column_int64(a, 0));
		store_stmt_end(s, b);
		seen++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(seen, 3);
	store_stmt_end(s, a);
	assert_int_equal(statements(s, true), 0);
	/* the inner ones were finalized, the cached one is taken again */
	b = store_stmt_begin(s, &err, "SELECT id FROM t WHERE id >= ?", "I",
			     (int64_t)3);
	assert_ptr_equal(b, a);
	store_stmt_end(s, b);
	/* errors: a failing step names what, a failing prepare "prepare" */
	assert_int_equal(store_run(s, "add t", &err,
				   "INSERT INTO t (id, v) VALUES (?, ?)", "It",
				   (int64_t)1, "dup"),
			 -1);
	assert_non_null(strstr(err, ": add t: UNIQUE constraint failed"));
	assert_false(store_error_transient(s));
	assert_int_equal(
	    store_row(s, &a, "get", &err, "SELECT x FROM nowhere", ""), -1);
	assert_null(a);
	assert_non_null(strstr(err, ": prepare: no such table"));
	/* store_run counts the changed rows */
	assert_int_equal(store_run(s, "upd", &err,
				   "UPDATE t SET v = ? WHERE id > ?", "tI", "y",
				   (int64_t)1),
			 2);
	store_close(&s);
}

/* A statement left on a row holds a read transaction: another
   connection's TRUNCATE checkpoint cannot finish. Ended, it can. */
static void
test_no_read_left_open(void **state)
{
	struct store *s = open_store("read.db", 1000);
	struct store *w = open_store("read.db", 0);
	const char *err = NULL;
	sqlite3_stmt *st;
	int64_t busy = -1;

	assert_int_equal(
	    store_exec(s, "CREATE TABLE t (id INTEGER PRIMARY KEY)", &err), 0);
	assert_int_equal(store_run(s, "t", &err, "INSERT INTO t VALUES (?)",
				   "I", (int64_t)1),
			 1);
	assert_int_equal(store_row(s, &st, "t", &err,
				   "SELECT id FROM t WHERE id = ?", "I",
				   (int64_t)1),
			 1);
	assert_int_equal(store_row_int64(w, &busy, "checkpoint", &err,
					 "PRAGMA wal_checkpoint(TRUNCATE)", ""),
			 0);
	assert_int_equal(busy, 1);
	store_stmt_end(s, st);
	assert_int_equal(store_row(s, NULL, "t", &err,
				   "SELECT id FROM t WHERE id = ?", "I",
				   (int64_t)1),
			 1);
	assert_int_equal(store_row_int64(s, &busy, "count", &err,
					 "SELECT count(*) FROM t", ""),
			 0);
	assert_int_equal(store_row_int64(w, &busy, "checkpoint", &err,
					 "PRAGMA wal_checkpoint(TRUNCATE)", ""),
			 0);
	assert_int_equal(busy, 0);
	assert_true(sqlite3_get_autocommit(s->db) != 0);
	store_close(&w);
	store_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_no_read_left_open),
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
