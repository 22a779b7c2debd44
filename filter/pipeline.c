/*
 * pipeline.c - one message through ackmail: rules -> result -> execute
 * -> store records. Shared by `ackmail deliver` and `ackmail poll`.
 *
 * For poll (opts->remote) the STORE actions (keep, fileinto) are not
 * delivered locally: they are collected into the outcome, and
 * cmd-poll.c files the message on the IMAP server once the store
 * transaction is committed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "msg.h"
#include "engine.h"
#include "store.h"
#include "pipeline.h"

struct pipeline_exec {
	struct exec_ctx ctx; /* first: action defs get &ctx */
	struct pipeline_outcome *out;
	const struct pipeline_opts *opts;
};

static int
remote_store_prepare(struct action *a, struct exec_ctx *ctx,
		     enum outcome *outcome_r, const char **error_r)
{
	struct pipeline_exec *px = (struct pipeline_exec *)ctx;
	struct pipeline_outcome *out = px->out;

	if (a->folder == NULL || strcasecmp(a->folder, "INBOX") == 0)
		out->keep = true;
	else if (!strlist_contains_case(&out->folders, a->folder))
		strlist_add(&out->folders, a->folder);
	for (size_t i = 0; i < a->flags.n; i++)
		if (!strlist_contains_case(&out->flags, a->flags.v[i]))
			strlist_add(&out->flags, a->flags.v[i]);
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	if (a->folder == NULL)
		str_append(&ctx->summary, "keep");
	else
		str_printf(&ctx->summary, "fileinto %s", a->folder);
	return 0;
}

static void
remote_store_rollback(struct action *a, struct exec_ctx *ctx)
{
	struct pipeline_exec *px = (struct pipeline_exec *)ctx;

	/* the fallback keep starts again from a clean slate */
	strlist_free(&px->out->folders);
	px->out->keep = false;
}

static int
discard_prepare(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
		const char **error_r)
{
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_append(&ctx->summary, "discard");
	return 0;
}

static const struct action_def remote_store_def = {
    .name = "store (IMAP)",
    .prepare = remote_store_prepare,
    .rollback = remote_store_rollback,
};

static const struct action_def discard_def = {
    .name = "discard",
    .prepare = discard_prepare,
};

/* The action table for poll. Actions without an entry here (redirect,
   vacation, support, ...) come with the action modules when lib/actions
   is merged; until then they are skipped. */
static const struct action_def *const remote_defs[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = &remote_store_def,
    [ACTION_DISCARD] = &discard_def,
};

/* Compiles and runs the configured rules into result. Hook: no rule
   language is linked in yet (lib/sieve, lib/procmail), so the result is
   the implicit keep; the default rules then apply. */
static int
pipeline_rules(struct msg *msg, const struct pipeline_opts *opts,
	       struct result *result, const char **error_r)
{
	(void)msg;
	(void)opts;
	(void)result;
	(void)error_r;
	return 0;
}

int
pipeline_run(struct msg *msg, const struct pipeline_opts *opts,
	     struct pipeline_outcome *out, const char **error_r)
{
	struct pipeline_exec px;
	struct result *result = result_new();
	const char *folders_text;
	struct str folders = STR_INIT;

	memset(out, 0, sizeof(*out));
	if (!opts->remote) {
		*error_r = "local delivery pipeline not merged yet";
		result_free(&result);
		return -1;
	}
	if (pipeline_rules(msg, opts, result, error_r) < 0) {
		result_free(&result);
		return -1;
	}
	exec_ctx_init(&px.ctx);
	px.out = out;
	px.opts = opts;
	px.ctx.msg = msg;
	px.ctx.config = opts->config;
	px.ctx.store = opts->store;
	out->outcome = result_execute(result, &px.ctx, remote_defs);
	str_append(&out->summary, str_c(&px.ctx.summary));
	exec_ctx_deinit(&px.ctx);
	result_free(&result);
	if (out->outcome != OUTCOME_OK)
		return 0;

	for (size_t i = 0; i < out->folders.n; i++) {
		if (i > 0)
			str_appendc(&folders, ' ');
		str_append(&folders, out->folders.v[i]);
	}
	if (out->keep)
		str_append(&folders, folders.len > 0 ? " INBOX" : "INBOX");
	folders_text = str_c(&folders);
	if (store_delivery_log(opts->store, msg_message_id(msg), clock_now(),
			       outcome_name(out->outcome), folders_text,
			       error_r) < 0) {
		str_free(&folders);
		return -1;
	}
	str_free(&folders);
	return 0;
}

void
pipeline_outcome_free(struct pipeline_outcome *out)
{
	strlist_free(&out->folders);
	strlist_free(&out->flags);
	str_free(&out->summary);
}
