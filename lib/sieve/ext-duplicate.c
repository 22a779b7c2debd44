/*
 * ext-duplicate.c - the duplicate extension (RFC 7352): true when a
 * message with the same unique id (Message-ID, another header's value or
 * :uniqueid) was seen within the period. Ids are kept in the state
 * database; without one (ackmail check) nothing is ever a duplicate.
 *
 * As Pigeonhole does, the test only reads the records: the id is marked
 * as seen by the result (a mark, ACTION_DUPLICATE_MARK) once the message
 * was delivered as the script said, inside the delivery's transaction. A
 * failed delivery (the MTA retries) is therefore not a duplicate the
 * next time, and the same test twice in one run gives the same answer.
 * The period defaults to [sieve] duplicate_default_period (12 hours) and
 * is capped at duplicate_max_period (2 days). The ids checked with :last
 * are a namespace of their own, apart from those checked without it (as
 * Pigeonhole keeps them): a :last test never sees a plain test's record,
 * nor the other way round.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

#define DUP_DEFAULT_PERIOD (12L * 3600)
#define DUP_MAX_PERIOD	   (2L * 86400)

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

/* Adds the mark that records id when the delivery succeeds; one mark
   per id (a :last mark wins: it refreshes the record). */
static void
add_mark(struct result *result, char *id, long seconds)
{
	struct action *a;

	for (size_t i = 0; i < result_mark_count(result); i++) {
		a = result_mark_at(result, i);
		if (a->kind == ACTION_DUPLICATE_MARK &&
		    strcmp(a->dup_id, id) == 0) {
			a->dup_seconds = seconds;
			free(id);
			return;
		}
	}
	a = action_new(ACTION_DUPLICATE_MARK);
	a->dup_id = id;
	a->dup_seconds = seconds;
	result_add_mark(result, a);
}

static int
duplicate_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	char *value = NULL, *handle, *id;
	long seconds = DUP_DEFAULT_PERIOD, max = DUP_MAX_PERIOD;
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
	config_get_duration(run->config, "sieve", "duplicate_default_period",
			    DUP_DEFAULT_PERIOD, &seconds);
	config_get_duration(run->config, "sieve", "duplicate_max_period",
			    DUP_MAX_PERIOD, &max);
	if (c->has[SLOT_SECONDS])
		seconds = c->tag[SLOT_SECONDS]->number > (uint64_t)LONG_MAX / 2
			      ? LONG_MAX / 2
			      : (long)c->tag[SLOT_SECONDS]->number;
	if (max > 0 && seconds > max)
		seconds = max;
	handle = c->has[SLOT_HANDLE]
		     ? sieve_expand(run, &c->tag[SLOT_HANDLE]->strs[0])
		     : xstrdup("");
	/* ids checked with :last are kept apart from the others (RFC 7352
	   section 3, as Pigeonhole does): a \001 marker in front */
	id = xasprintf("%s%s\n%s", c->has[SLOT_LAST] ? "\001last\001" : "",
		       handle, value);
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
	/* recorded at commit time only (result_execute) */
	if (seen == 0 || c->has[SLOT_LAST])
		add_mark(run->result, id, seconds);
	else
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
