/*
 * sieve-memstore.c - vacation and duplicate records in memory, for
 * `ackmail check`, the testsuite and unit tests (the SQLite store in
 * lib/store provides the persistent implementation of the same table).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

struct mem_rec {
	char *key;
	time_t when;
};

struct memstore {
	struct sieve_vacation_store api;
	struct mem_rec *v;
	size_t n, cap;
};

static struct mem_rec *
rec_find(struct memstore *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcasecmp(m->v[i].key, key) == 0)
			return &m->v[i];
	return NULL;
}

static void
rec_put(struct memstore *m, const char *key, time_t when)
{
	struct mem_rec *r = rec_find(m, key);

	if (r == NULL) {
		if (m->n == m->cap) {
			m->cap = m->cap == 0 ? 8 : m->cap * 2;
			m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
		}
		r = &m->v[m->n++];
		r->key = xstrdup(key);
	}
	r->when = when;
}

static int
vac_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	char *key = xasprintf("v:%s\n%s", sender, handle);
	struct mem_rec *r = rec_find(ctx, key);

	free(key);
	return r != NULL && r->when > since;
}

static int
vac_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	char *key = xasprintf("v:%s\n%s", sender, handle);

	rec_put(ctx, key, now);
	free(key);
	return 0;
}

static int
dup_seen(void *ctx, const char *id, time_t since)
{
	char *key = xasprintf("d:%s", id);
	struct mem_rec *r = rec_find(ctx, key);

	free(key);
	return r != NULL && r->when > since;
}

static int
dup_record(void *ctx, const char *id, time_t now, long seconds)
{
	char *key = xasprintf("d:%s", id);

	rec_put(ctx, key, now);
	free(key);
	return 0;
}

struct sieve_vacation_store *
sieve_memstore_new(void)
{
	struct memstore *m = xcalloc(1, sizeof(*m));

	m->api.vacation_seen = vac_seen;
	m->api.vacation_record = vac_record;
	m->api.duplicate_seen = dup_seen;
	m->api.duplicate_record = dup_record;
	m->api.ctx = m;
	return &m->api;
}

void
sieve_memstore_free(struct sieve_vacation_store **sp)
{
	struct memstore *m = (struct memstore *)*sp;

	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	free(m);
	*sp = NULL;
}
