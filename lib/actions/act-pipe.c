/*
 * act-pipe.c - pipe the message to a command (after everything else has
 * been prepared, since a command cannot be taken back).
 */
#include <errno.h>
#include <stdio.h>

#include "actions.h"
#include "deliver.h"

static int
pipe_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
	    const char **error_r)
{
	static char buf[128];
	int status;
	bool shell = a->command_shell || pipe_needs_shell(a->command);

	if (pipe_run(a->command, shell, action_msg(a, ctx->msg),
		     ctx->pipe_timeout, NULL, &status, error_r) < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	if (status != 0) {
		snprintf(buf, sizeof(buf), "command exited with status %d",
			 status);
		*error_r = buf;
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_printf(&ctx->summary, "pipe %s", a->command);
	return 0;
}

const struct action_def act_pipe = {
    .name = "pipe",
    .commit = pipe_commit,
};
