/*
 * ext-fileinto.c - the fileinto extension (RFC 5228 4.1): store the
 * message in a folder, named as the script wrote it.
 */
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

static int
fileinto_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];

	if (!s->dynamic && s->len == 0) {
		sieve_error(v, n, "the fileinto command needs a folder name");
		return -1;
	}
	return 0;
}

static int
fileinto_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct action *a = action_new(ACTION_STORE);

	a->folder = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	a->copy = n->cmd.has[SLOT_COPY];
	a->create = n->cmd.has[SLOT_CREATE];
	sieve_flags_current(run, n, &a->flags);
	if (!a->copy)
		result_cancel_implicit_keep(run->result);
	return sieve_add_action(run, n, a);
}

static const struct sieve_cmd_def fileinto = {
    .name = "fileinto",
    .kind = DEF_COMMAND,
    .pos = "S",
    .validate = fileinto_validate,
    .exec = fileinto_exec,
};

static const struct sieve_cmd_def *const defs[] = {&fileinto, NULL};

const struct sieve_extension sieve_ext_fileinto = {
    .name = "fileinto",
    .defs = defs,
};
