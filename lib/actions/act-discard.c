/*
 * act-discard.c - discard: the message is dropped on purpose.
 */
#include "actions.h"

static int
discard_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
	       const char **error_r)
{
	(void)a;
	(void)outcome_r;
	(void)error_r;
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_append(&ctx->summary, "discard");
	return 0;
}

const struct action_def act_discard = {
    .name = "discard",
    .commit = discard_commit,
};
