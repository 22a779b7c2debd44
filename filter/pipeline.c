/*
 * pipeline.c - one message through ackmail: rules -> result -> store
 * transaction -> local delivery -> commit, and one log line.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "pipeline.h"
#include "rules.h"
#include "store.h"
#include "support.h"

int
pipeline_init(struct pipeline *p, const struct pipeline_opts *opts,
	      const char **error_r)
{
	const char *path = opts->rules_path;
	long busy = 30;
	struct diag diag = {0};

	memset(p, 0, sizeof(*p));
	p->opts = *opts;
	if (config_get_duration(opts->config, "database", "busy_timeout", 30,
				&busy) < 0) {
		*error_r = "[database] busy_timeout: expected a duration";
		return -1;
	}
	p->busy_timeout_ms = busy * 1000;
	if (path == NULL)
		path = config_get(opts->config, "rules", NULL, "path");
	if (path == NULL)
		return 0;
	p->opts.rules_path = path;
	p->lang = rules_lang_for(
	    path,
	    opts->lang != NULL
		? opts->lang
		: config_get(opts->config, "rules", NULL, "lang"),
	    error_r);
	if (p->lang == NULL) {
		/* unreadable or unknown rules never lose mail: log and
		   deliver to the default mailbox */
		log_warnx("rules %s", *error_r);
		p->rules_broken = true;
		return 0;
	}
	if (p->lang->compile(path, opts->config, &p->prog, &diag) < 0) {
		struct str s = STR_INIT;

		diag_format(&diag, &s);
		log_warnx("rules do not compile; delivering to the default "
			  "mailbox:\n%s",
			  str_c(&s));
		str_free(&s);
		p->rules_broken = true;
		p->prog = NULL;
	}
	diag_free(&diag);
	return 0;
}

void
pipeline_deinit(struct pipeline *p)
{
	if (p->prog != NULL && p->lang != NULL)
		p->lang->free(&p->prog);
	free(p->default_rules);
	pipeline_outbound_free(p);
	pipeline_notices_free(p);
	support_close(&p->support);
	store_close(&p->store);
}

int
pipeline_store(struct pipeline *p, struct store **store_r, const char **error_r)
{
	if (p->store == NULL) {
		if (p->opts.db_path == NULL) {
			*store_r = NULL;
			return 0;
		}
		if (store_open(p->opts.db_path, p->busy_timeout_ms, &p->store,
			       error_r) < 0)
			return -1;
	}
	*store_r = p->store;
	return 0;
}

static void
log_message(const struct pipeline *p, struct msg *msg, const char *summary,
	    enum outcome outcome, uint64_t t0)
{
	const char *mid = msg_message_id(msg);
	const char *from = msg_envelope_from(msg);
	const char *prefix = p->opts.log_prefix;

	log_info("%s%smessage-id=<%s> from=<%s> actions=\"%s\" outcome=%s "
		 "duration=%llums",
		 prefix != NULL ? prefix : "", prefix != NULL ? " " : "",
		 mid != NULL ? mid : "", from != NULL ? from : "", summary,
		 outcome_name(outcome),
		 (unsigned long long)(clock_monotonic_ms() - t0));
}

enum outcome
pipeline_run(struct pipeline *p, struct msg *msg, struct str *dry_out,
	     char **reject_r)
{
	uint64_t t0 = clock_monotonic_ms();
	struct result *result = result_new();
	struct exec_ctx ctx;
	struct store *store = NULL;
	const char *error;
	enum outcome outcome;
	struct diag diag = {0};

	*reject_r = NULL;
	/* support: classify and match before the rules (facts) */
	if (pipeline_support_analyze(p, msg, &error) < 0) {
		log_warnx("support: %s", error);
		result_free(&result);
		log_message(p, msg, "none", OUTCOME_TEMPFAIL, t0);
		return OUTCOME_TEMPFAIL;
	}
	if (p->prog != NULL) {
		struct rule_env env = {
		    .msg = msg,
		    .config = p->opts.config,
		    .maildir = p->opts.maildir,
		    .dry_run = p->opts.dry_run,
		    .support = p->support,
		};

		if (!p->opts.dry_run && pipeline_store(p, &store, &error) == 0)
			env.store = store;
		if (p->lang->run(p->prog, &env, result, &diag) < 0) {
			struct str s = STR_INIT;

			diag_format(&diag, &s);
			log_warnx(
			    "runtime error in %s, keeping the message: %s",
			    p->opts.rules_path, str_c(&s));
			str_free(&s);
			result_reset(result);
		} else if (diag.warnings > 0) {
			/* runtime warnings (e.g. a protected header field
			   editheader left alone) are logged, as Pigeonhole
			   does */
			struct str s = STR_INIT;

			diag_format(&diag, &s);
			log_warnx("%s", str_c(&s));
			str_free(&s);
		}
		diag_free(&diag);
	}
	if (p->opts.dry_run) {
		result_to_json(result, dry_out);
		result_free(&result);
		return OUTCOME_OK;
	}

	exec_ctx_init(&ctx);
	ctx.msg = msg;
	ctx.config = p->opts.config;
	ctx.maildir = p->opts.maildir;
	ctx.mbox = p->opts.mbox;
	config_get_duration(p->opts.config, "deliver", "lock_timeout", 60,
			    &ctx.lock_timeout);
	config_get_duration(p->opts.config, "deliver", "pipe_timeout", 600,
			    &ctx.pipe_timeout);

	/* the state and the delivery go together: the transaction is open
	   while the message is written and committed once it is safe */
	if (pipeline_store(p, &store, &error) < 0 ||
	    (store != NULL && store_begin(store, &error) < 0)) {
		log_warnx("state database: %s", error);
		outcome = OUTCOME_TEMPFAIL;
		log_message(p, msg, "none", outcome, t0);
		exec_ctx_deinit(&ctx);
		result_free(&result);
		return outcome;
	}
	ctx.store = store;
	ctx.support = p->support;
	ctx.defs_ctx = p->opts.defs_ctx;
	/* support: record the message on its issue in the same transaction,
	   before delivery, so a failed delivery leaves no trace */
	if (pipeline_support_plan(p, result, &error) < 0 ||
	    pipeline_support_record(p, &error) < 0) {
		log_warnx("support: %s", error);
		store_rollback(store);
		outcome = OUTCOME_TEMPFAIL;
		log_message(p, msg, "none", outcome, t0);
		pipeline_support_done(p);
		exec_ctx_deinit(&ctx);
		result_free(&result);
		return outcome;
	}
	outcome = result_execute(
	    result, &ctx, p->opts.defs != NULL ? p->opts.defs : action_defs);
	pipeline_support_done(p);
	if (outcome == OUTCOME_OK && p->opts.before_commit != NULL &&
	    p->opts.before_commit(&ctx, store, &error) < 0) {
		log_warnx("%s", error);
		outcome = OUTCOME_TEMPFAIL;
	}
	if (store != NULL) {
		if (outcome == OUTCOME_OK &&
		    (store_delivery_log(store, msg_message_id(msg), clock_now(),
					ctx.rejected ? "rejected" : "delivered",
					str_c(&ctx.summary), &error) < 0 ||
		     store_commit(store, &error) < 0)) {
			log_warnx("state database: %s", error);
			outcome = OUTCOME_TEMPFAIL;
		}
		if (outcome != OUTCOME_OK)
			store_rollback(store);
	}
	if (outcome == OUTCOME_OK && ctx.rejected) {
		outcome = OUTCOME_PERMFAIL;
		*reject_r = xstrdup(ctx.reject_reason);
	}
	log_message(p, msg, str_c(&ctx.summary), outcome, t0);
	exec_ctx_deinit(&ctx);
	result_free(&result);
	/* committed: send what is due, within the flush budget */
	if (outcome == OUTCOME_OK || outcome == OUTCOME_PERMFAIL)
		pipeline_outbound_flush(p);
	return outcome;
}
