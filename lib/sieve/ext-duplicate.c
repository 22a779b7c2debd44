/*
 * ext-duplicate.c - the duplicate extension (RFC 7352): true when a
 * message with the same unique id (Message-ID, another header's value or
 * :uniqueid) was seen within the period. Ids are kept in the state
 * database; without one (ackmail check) nothing is ever a duplicate.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

#define DUP_DEFAULT_PERIOD (14L * 86400)

static const struct sieve_tag_def dup_tag_table[] = {
    {"handle", NULL, SLOT_HANDLE, 'S', 0},
    {"header", NULL, SLOT_HEADER, 'S', 0},
    {"uniqueid", NULL, SLOT_UNIQUEID, 'S', 0},
    {"seconds", NULL, SLOT_SECONDS, 'N', 0},
    {"last", NULL, SLOT_LAST, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const dup_tags[] = {dup_tag_table, NULL};

static int
duplicate_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_HEADER] && n->cmd.has[SLOT_UNIQUEID]) {
		sieve_error(v, n,
			    "duplicate: :header and :uniqueid cannot be "
			    "combined");
		return -1;
	}
	return 0;
}

static int
duplicate_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	char *value = NULL, *handle, *id;
	long seconds = DUP_DEFAULT_PERIOD;
	time_t now = clock_now();
	int seen;

	if (c->has[SLOT_UNIQUEID]) {
		value = sieve_expand(run, &c->tag[SLOT_UNIQUEID]->strs[0]);
	} else {
		char *name =
		    c->has[SLOT_HEADER]
			? sieve_expand(run, &c->tag[SLOT_HEADER]->strs[0])
			: xstrdup("message-id");
		struct strlist vals = {0};

		sieve_header_values(run, name, false, &vals);
		if (vals.n > 0)
			value = xstrdup(str_trim(vals.v[0]));
		strlist_free(&vals);
		free(name);
	}
	if (value == NULL)
		return 0;
	if (c->has[SLOT_SECONDS])
		seconds = c->tag[SLOT_SECONDS]->number > (uint64_t)LONG_MAX / 2
			      ? LONG_MAX / 2
			      : (long)c->tag[SLOT_SECONDS]->number;
	handle = c->has[SLOT_HANDLE]
		     ? sieve_expand(run, &c->tag[SLOT_HANDLE]->strs[0])
		     : xstrdup("");
	id = xasprintf("%s\n%s", handle, value);
	free(handle);
	free(value);
	if (run->vstore == NULL) {
		free(id);
		return 0;
	}
	seen = run->vstore->duplicate_seen(run->vstore->ctx, id, now - seconds);
	if (seen < 0) {
		free(id);
		return sieve_runtime_error(run, n,
					   "duplicate: cannot read records");
	}
	if ((seen == 0 || c->has[SLOT_LAST]) &&
	    run->vstore->duplicate_record(run->vstore->ctx, id, now, seconds) <
		0) {
		free(id);
		return sieve_runtime_error(run, n,
					   "duplicate: cannot write records");
	}
	free(id);
	return seen;
}

static const struct sieve_cmd_def duplicate = {
    .name = "duplicate",
    .kind = DEF_TEST,
    .pos = "",
    .tags = dup_tags,
    .validate = duplicate_validate,
    .test = duplicate_test,
};

static const struct sieve_cmd_def *const defs[] = {&duplicate, NULL};

const struct sieve_extension sieve_ext_duplicate = {
    .name = "duplicate",
    .defs = defs,
};
