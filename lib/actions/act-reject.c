/*
 * act-reject.c - reject and ereject. A delivery agent runs after the
 * SMTP transaction, so refusing means a permanent failure towards the
 * MTA (exit 77), which bounces the message with our reason; that is what
 * ereject asks for and what Dovecot's LDA does for reject by default.
 */
#include <stdlib.h>

#include "actions.h"

static int
reject_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
	      const char **error_r)
{
	(void)outcome_r;
	(void)error_r;
	ctx->rejected = true;
	free(ctx->reject_reason);
	ctx->reject_reason =
	    xstrdup(a->reason != NULL ? a->reason : "rejected");
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_append(&ctx->summary, action_kind_name(a->kind));
	return 0;
}

const struct action_def act_reject = {
    .name = "reject",
    .commit = reject_commit,
};

const struct action_def act_ereject = {
    .name = "ereject",
    .commit = reject_commit,
};
