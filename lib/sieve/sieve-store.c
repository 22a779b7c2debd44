/*
 * sieve-store.c - vacation and duplicate records kept in the state
 * database (lib/store), behind struct sieve_vacation_store.
 */
#include <stdlib.h>

#include "sieve-private.h"
#include "store.h"

static int
st_vac_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	const char *err;

	return store_vacation_seen(ctx, sender, handle, since, &err);
}

static int
st_vac_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	const char *err;

	return store_vacation_record(ctx, sender, handle, now, &err);
}

static int
st_dup_seen(void *ctx, const char *id, time_t since)
{
	const char *err;

	return store_duplicate_seen(ctx, id, since, clock_now(), &err);
}

static int
st_dup_record(void *ctx, const char *id, time_t now, long seconds)
{
	const char *err;

	return store_duplicate_record(ctx, id, now, seconds, &err);
}

struct sieve_vacation_store *
sieve_records_from_store(struct store *store)
{
	struct sieve_vacation_store *s = xcalloc(1, sizeof(*s));

	s->vacation_seen = st_vac_seen;
	s->vacation_record = st_vac_record;
	s->duplicate_seen = st_dup_seen;
	s->duplicate_record = st_dup_record;
	s->ctx = store;
	return s;
}

void
sieve_records_free(struct sieve_vacation_store **s)
{
	xfree(*s);
}
