/*
 * act-redirect.c - redirect: resend the message unchanged to another
 * address through sendmail(8), with the original envelope sender.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "deliver.h"
#include "msg.h"

static int
redirect_commit(struct action *a, struct exec_ctx *ctx,
		enum outcome *outcome_r, const char **error_r)
{
	static char buf[128];
	const char *sendmail = config_get_default(ctx->config, "outbound",
						  "sendmail",
						  "/usr/sbin/sendmail");
	const char *from = msg_envelope_from(ctx->msg);
	struct str cmd = STR_INIT;
	int status;

	/* quoted for /bin/sh: addresses are checked by the rules, but
	   single quotes make the command safe whatever they hold */
	str_printf(&cmd, "%s -oi -f ", sendmail);
	str_appendc(&cmd, '\'');
	for (const char *p = from != NULL ? from : ""; *p != '\0'; p++) {
		if (*p == '\'')
			str_append(&cmd, "'\\''");
		else
			str_appendc(&cmd, *p);
	}
	str_append(&cmd, "' -- '");
	for (const char *p = a->address; *p != '\0'; p++) {
		if (*p == '\'')
			str_append(&cmd, "'\\''");
		else
			str_appendc(&cmd, *p);
	}
	str_appendc(&cmd, '\'');
	if (pipe_run(str_c(&cmd), true, ctx->msg, ctx->pipe_timeout, NULL,
		     &status, error_r) < 0) {
		str_free(&cmd);
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	str_free(&cmd);
	if (status != 0) {
		snprintf(buf, sizeof(buf), "sendmail exited with status %d",
			 status);
		*error_r = buf;
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_printf(&ctx->summary, "redirect <%s>", a->address);
	return 0;
}

const struct action_def act_redirect = {
    .name = "redirect",
    .commit = redirect_commit,
};
