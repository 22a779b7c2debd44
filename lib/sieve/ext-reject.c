/*
 * ext-reject.c - the reject and ereject extensions (RFC 5429): refuse
 * the message with a reason. They cancel the implicit keep and conflict
 * with storing or redirecting (checked when the run finishes).
 */
#include "sieve-private.h"

static int
reject_common(struct sieve_run *run, struct sieve_node *n,
	      enum action_kind kind)
{
	struct action *a = action_new(kind);

	a->reason = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	return sieve_add_action(run, n, a);
}

static int
reject_exec(struct sieve_run *run, struct sieve_node *n)
{
	return reject_common(run, n, ACTION_REJECT);
}

static int
ereject_exec(struct sieve_run *run, struct sieve_node *n)
{
	return reject_common(run, n, ACTION_EREJECT);
}

static const struct sieve_cmd_def reject = {
    .name = "reject",
    .kind = DEF_COMMAND,
    .pos = "S",
    .exec = reject_exec,
};
static const struct sieve_cmd_def ereject = {
    .name = "ereject",
    .kind = DEF_COMMAND,
    .pos = "S",
    .exec = ereject_exec,
};

static const struct sieve_cmd_def *const reject_defs[] = {&reject, NULL};
static const struct sieve_cmd_def *const ereject_defs[] = {&ereject, NULL};

const struct sieve_extension sieve_ext_reject = {
    .name = "reject",
    .defs = reject_defs,
};

const struct sieve_extension sieve_ext_ereject = {
    .name = "ereject",
    .defs = ereject_defs,
};
