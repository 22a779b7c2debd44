/*
 * act-vacation.c - Sieve's vacation (RFC 5230): whether to answer at all
 * (the reply-or-not rules, the :days period and the handle, with the
 * per-sender record in the state database) is decided by lib/engine's
 * vacation_decide; the reply itself goes through the same gate as
 * acknowledgements (robots, lists, loops, rate limits) and is queued in
 * the outbox inside the delivery transaction, then sent by the flush
 * after the commit. The per-sender record is written at commit, so a
 * reply taken back by a fallback or a failed delivery leaves none.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "msg.h"
#include "store.h"
#include "support.h"

static const struct config *cached_config;
static struct ack_settings cached;

static bool
vacation_is_our_id(const char *id, void *support)
{
	return support_message_id_verify(support, id, NULL) > 0;
}

/* The per-sender records in the state database. */
/* What a queued reply leaves for the commit: the outbox row, and the
   per-sender record, written only when the delivery commits (a reply
   taken back by a fallback leaves no record, as Pigeonhole records a
   reply only once it was sent). */
struct vacation_state {
	struct store *store;
	int64_t outbox_id;
	char *sender, *handle;
	time_t when;
};

static int
records_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	const struct vacation_state *vs = ctx;
	const char *err;

	return store_vacation_seen(vs->store, sender, handle, since, &err);
}

static int
records_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	struct vacation_state *vs = ctx;

	free(vs->sender);
	free(vs->handle);
	vs->sender = xstrdup(sender);
	vs->handle = xstrdup(handle);
	vs->when = now;
	return 0;
}

static void
vacation_state_free(struct action *a)
{
	struct vacation_state *vs = a->state;

	if (vs == NULL)
		return;
	free(vs->sender);
	free(vs->handle);
	free(vs);
	a->state = NULL;
}

static int
vacation_prepare(struct action *a, struct exec_ctx *ctx,
		 enum outcome *outcome_r, const char **error_r)
{
	struct ack_request req;
	struct strlist ours = {0};
	struct vacation_state vs = {0};
	const char *reason, *to;
	int64_t id;
	char *err;
	int r;

	*outcome_r = OUTCOME_OK;
	if (ctx->store == NULL) {
		log_warnx("vacation: no state database ([database] path): "
			  "not answering");
		return 0;
	}
	{
		struct vacation_records records = {
		    .seen = records_seen,
		    .record = records_record,
		    .ctx = &vs,
		};

		vs.store = ctx->store;
		r = vacation_decide(ctx->msg, a, msg_envelope_to(ctx->msg),
				    &records, &reason);
		if (r <= 0) {
			free(vs.sender);
			free(vs.handle);
		}
		if (r < 0) {
			*error_r = "cannot read or write the vacation records";
			*outcome_r = OUTCOME_TEMPFAIL;
			return -1;
		}
		if (r == 0) {
			log_info("vacation: no reply to <%s>: %s",
				 a->vac_to != NULL ? a->vac_to : "", reason);
			return 0;
		}
	}
	if (cached_config != ctx->config) {
		if (cached_config != NULL)
			ack_settings_free(&cached);
		cached_config = NULL;
		if (ack_settings_load(ctx->config, &cached, &err) < 0) {
			log_warnx("vacation: %s", err);
			free(err);
			free(vs.sender);
			free(vs.handle);
			return 0;
		}
		cached_config = ctx->config;
	}
	if (ctx->support != NULL) {
		cached.is_our_id = vacation_is_our_id;
		cached.is_our_id_ctx = ctx->support;
	}
	/* the user's own addresses: :addresses and the envelope recipient */
	for (size_t i = 0; i < a->args.n; i++)
		strlist_add_owned(&ours, msg_addr_normalize(a->args.v[i]));
	if ((to = msg_envelope_to(ctx->msg)) != NULL && *to != '\0')
		strlist_add_owned(&ours, msg_addr_normalize(to));
	memset(&req, 0, sizeof(req));
	req.kind = "vacation";
	req.msg = ctx->msg;
	req.to = a->vac_to;
	req.vac_subject = a->vac_subject;
	req.vac_body = a->vac_body != NULL ? a->vac_body : "";
	req.vac_from = a->vac_from != NULL ? a->vac_from
		       : ours.n > 0	   ? ours.v[ours.n - 1]
					   : NULL;
	req.vac_mime = a->vac_mime;
	req.extra_addresses = &ours;
	r = ack_queue(ctx->store, &cached, &req, &id, &reason, error_r);
	strlist_free(&ours);
	if (r <= 0) {
		/* not queued (the gate said no, or an error): no record */
		free(vs.sender);
		free(vs.handle);
		if (r < 0) {
			*outcome_r = OUTCOME_TEMPFAIL;
			return -1;
		}
		return 0;
	}
	str_printf(&ctx->summary, "%svacation reply queued",
		   ctx->summary.len > 0 ? "; " : "");
	vs.outbox_id = id;
	a->state = xmemdup(&vs, sizeof(vs));
	return 0;
}

static int
vacation_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
		const char **error_r)
{
	struct vacation_state *vs = a->state;
	int r = 0;

	if (vs != NULL && vs->sender != NULL &&
	    store_vacation_record(ctx->store, vs->sender, vs->handle, vs->when,
				  error_r) < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		r = -1;
	}
	vacation_state_free(a);
	return r;
}

/* Another action failed and the message falls back to the default
   mailbox: the reply queued in this transaction must not go out, and
   leaves no per-sender record. */
static void
vacation_rollback(struct action *a, struct exec_ctx *ctx)
{
	struct vacation_state *vs = a->state;
	const char *error = NULL;

	if (vs == NULL)
		return;
	if (store_outbox_drop(ctx->store, vs->outbox_id, &error) < 0)
		log_warnx("vacation: cannot take back the queued reply: %s",
			  error != NULL ? error : "?");
	vacation_state_free(a);
}

const struct action_def act_vacation = {
    .name = "vacation",
    .prepare = vacation_prepare,
    .commit = vacation_commit,
    .rollback = vacation_rollback,
};
