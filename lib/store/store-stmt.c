/*
 * store-stmt.c - the statements of the store: a cache of prepared
 * statements per handle, values bound by a letter each, and the step
 * loop with the store's error strings (store_fail()).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store-private.h"

/* The SQL texts are the literals of lib/store, a few dozen. Past this
   many something passes texts of its own: those are not cached. */
#define STMT_CACHE_MAX 256

struct store_cached_stmt {
	char *sql;
	sqlite3_stmt *st;
	bool in_use;
};

static struct store_cached_stmt *
cache_find(struct store *store, const char *sql)
{
	for (size_t i = 0; i < store->stmts_n; i++)
		if (strcmp(store->stmts[i].sql, sql) == 0)
			return &store->stmts[i];
	return NULL;
}

static void
cache_add(struct store *store, const char *sql, sqlite3_stmt *st)
{
	struct store_cached_stmt *c;

	if (store->stmts_n == store->stmts_cap) {
		store->stmts_cap =
		    store->stmts_cap == 0 ? 32 : store->stmts_cap * 2;
		store->stmts = xreallocarray(store->stmts, store->stmts_cap,
					     sizeof(*store->stmts));
	}
	c = &store->stmts[store->stmts_n++];
	c->sql = xstrdup(sql);
	c->st = st;
	c->in_use = true;
}

void
store_stmt_cache_free(struct store *store)
{
	for (size_t i = 0; i < store->stmts_n; i++) {
		sqlite3_finalize(store->stmts[i].st);
		free(store->stmts[i].sql);
	}
	free(store->stmts);
	store->stmts = NULL;
	store->stmts_n = store->stmts_cap = 0;
}

/* A statement of its own (the cache's are made here too). */
static sqlite3_stmt *
stmt_prepare(struct store *store, const char *sql, const char **error_r)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &st, NULL) != SQLITE_OK) {
		store_fail(store, "prepare", error_r);
		return NULL;
	}
	return st;
}

/* Binds the values after types (see store-private.h). Bind errors are
   not checked, as before the cache: the index is right by the assertion
   and a value too big for SQLite fails at the step. */
static void
stmt_bind(sqlite3_stmt *st, const char *types, va_list ap)
{
	int i = 1;

	assert(strlen(types) == (size_t)sqlite3_bind_parameter_count(st));
	for (const char *t = types; *t != '\0'; t++, i++) {
		switch (*t) {
		case 't':
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1,
					  SQLITE_STATIC);
			break;
		case 'i':
			sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'I':
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'T':
			sqlite3_bind_int64(st, i,
					   (sqlite3_int64)va_arg(ap, time_t));
			break;
		case 'n': {
			int64_t v = va_arg(ap, int64_t);

			if (v != 0)
				sqlite3_bind_int64(st, i, v);
			else
				sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);

			sqlite3_bind_blob(st, i, p, (int)len, SQLITE_STATIC);
			break;
		}
		default:
			assert(!"store statement: unknown type letter");
		}
	}
}

static sqlite3_stmt *
stmt_vbegin(struct store *store, const char **error_r, const char *sql,
	    const char *types, va_list ap)
{
	struct store_cached_stmt *c = cache_find(store, sql);
	sqlite3_stmt *st;

	if (c != NULL && !c->in_use) {
		c->in_use = true;
		st = c->st;
	} else {
		/* the first use, or the same text while it is in use (a
		   nested query): a statement of its own */
		st = stmt_prepare(store, sql, error_r);
		if (st == NULL)
			return NULL;
		if (c == NULL && store->stmts_n < STMT_CACHE_MAX)
			cache_add(store, sql, st);
	}
	stmt_bind(st, types, ap);
	return st;
}

sqlite3_stmt *
store_stmt_begin(struct store *store, const char **error_r, const char *sql,
		 const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = stmt_vbegin(store, error_r, sql, types, ap);
	va_end(ap);
	return st;
}

int
store_stmt_next(struct store *store, sqlite3_stmt *st, const char *what,
		const char **error_r)
{
	/* the busy handler (sqlite3_busy_timeout(), set at open) waits */
	int r = sqlite3_step(st);

	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return store_fail(store, what, error_r);
}

void
store_stmt_end(struct store *store, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < store->stmts_n; i++) {
		if (store->stmts[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			store->stmts[i].in_use = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

int
store_run(struct store *store, const char *what, const char **error_r,
	  const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int r;

	va_start(ap, types);
	st = stmt_vbegin(store, error_r, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	r = sqlite3_step(st);
	store_stmt_end(store, st);
	if (r != SQLITE_DONE)
		return store_fail(store, what, error_r);
	return sqlite3_changes(store->db);
}

static int
stmt_vrow(struct store *store, sqlite3_stmt **st_r, const char *what,
	  const char **error_r, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st = stmt_vbegin(store, error_r, sql, types, ap);
	int r;

	*st_r = NULL;
	if (st == NULL)
		return -1;
	r = store_stmt_next(store, st, what, error_r);
	if (r > 0) {
		*st_r = st;
		return 1;
	}
	store_stmt_end(store, st);
	return r;
}

int
store_row(struct store *store, sqlite3_stmt **st_r, const char *what,
	  const char **error_r, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int r;

	va_start(ap, types);
	r = stmt_vrow(store, &st, what, error_r, sql, types, ap);
	va_end(ap);
	if (st_r != NULL)
		*st_r = st;
	else
		store_stmt_end(store, st);
	return r;
}

int
store_row_int64(struct store *store, int64_t *v_r, const char *what,
		const char **error_r, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int r;

	va_start(ap, types);
	r = stmt_vrow(store, &st, what, error_r, sql, types, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	if (r == 0)
		return store_fail(store, what, error_r);
	*v_r = sqlite3_column_int64(st, 0);
	store_stmt_end(store, st);
	return 0;
}

char *
store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

void *
store_grow(void *v, size_t n, size_t *cap_r, size_t first, size_t size)
{
	if (n < *cap_r)
		return v;
	*cap_r = *cap_r == 0 ? first : *cap_r * 2;
	return xreallocarray(v, *cap_r, size);
}
