/*
 * ext-ihave.c - the ihave extension (RFC 5463): the ihave test and the
 * error command. An unknown capability inside an ihave block is not an
 * error until that block would run.
 */
#include <stdlib.h>

#include "sieve-private.h"

static int
ihave_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct sieve_arg *a = n->cmd.pos[0];

	for (size_t i = 0; i < a->nstrs; i++)
		if (sieve_ext_find(a->strs[i].s) == NULL)
			return 0;
	return 1;
}

static const struct sieve_cmd_def ihave = {
    .name = "ihave",
    .kind = DEF_TEST,
    .pos = "L",
    .test = ihave_test,
};

static int
error_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *msg = sieve_expand(run, &n->cmd.pos[0]->strs[0]);

	sieve_runtime_error(run, n, "%s", msg);
	free(msg);
	return -1;
}

static const struct sieve_cmd_def error = {
    .name = "error",
    .kind = DEF_COMMAND,
    .pos = "S",
    .exec = error_exec,
};

static const struct sieve_cmd_def *const defs[] = {&ihave, &error, NULL};

const struct sieve_extension sieve_ext_ihave = {
    .name = "ihave",
    .defs = defs,
};
