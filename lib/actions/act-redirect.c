/*
 * act-redirect.c - redirect: resend the message unchanged to another
 * address, with the original envelope sender. With a state database the
 * message is queued in the outbox inside the delivery transaction (sent
 * by the flush after the commit, retried when the server is down);
 * without one it is handed to sendmail(8) directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "deliver.h"
#include "msg.h"
#include "store.h"
#include "transport.h"

/* a->state when the outbox took the message: the row's id */
struct redirect_queued {
	int64_t id;
};

static int
redirect_prepare(struct action *a, struct exec_ctx *ctx,
		 enum outcome *outcome_r, const char **error_r)
{
	const char *from = msg_envelope_from(ctx->msg);
	struct strlist rcpts = {0};
	const char *data;
	size_t len;
	int64_t id = 0;
	int r;

	if (ctx->store == NULL)
		return 0;
	/* with editheader's edits made before the redirect */
	data = msg_data(action_msg(a, ctx->msg), &len);
	strlist_add(&rcpts, a->address);
	r = outbox_queue(ctx->store, "redirect",
			 from != NULL && strcmp(from, "<>") != 0 ? from : "",
			 &rcpts, data, len, msg_message_id(ctx->msg), 0, &id,
			 error_r);
	strlist_free(&rcpts);
	if (r < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	a->state = xmemdup(&id, sizeof(id));
	return 0;
}

/* A later action failed: the queued copy must not go out when the
   fallback keep commits the transaction. */
static void
redirect_rollback(struct action *a, struct exec_ctx *ctx)
{
	struct redirect_queued *q = a->state;
	const char *error = NULL;

	if (q == NULL)
		return;
	if (store_outbox_drop(ctx->store, q->id, &error) < 0)
		log_warnx("redirect <%s>: cannot take back the queued copy: %s",
			  a->address, error != NULL ? error : "?");
	xfree(a->state);
}

static int
redirect_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
		const char **error_r)
{
	static char buf[128];
	const char *sendmail = config_get_default(
	    ctx->config, "outbound", "sendmail", "/usr/sbin/sendmail");
	const char *from = msg_envelope_from(ctx->msg);
	struct str cmd = STR_INIT;
	const char *data;
	size_t len;
	int status;

	if (a->state != NULL) {
		xfree(a->state);
		if (ctx->summary.len > 0)
			str_append(&ctx->summary, "; ");
		str_printf(&ctx->summary, "redirect <%s> (queued)", a->address);
		return 0;
	}

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
	/* the message as received (with editheader's edits made before
	   the redirect), without the MTA's From_ line */
	data = msg_data(action_msg(a, ctx->msg), &len);
	if (pipe_run_data(str_c(&cmd), true, data, len, ctx->pipe_timeout, NULL,
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
    .prepare = redirect_prepare,
    .commit = redirect_commit,
    .rollback = redirect_rollback,
};
