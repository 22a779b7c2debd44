/*
 * act-vacation.c - Sieve's vacation (RFC 5230): whether to answer at all
 * (the reply-or-not rules, the :days period and the handle, with the
 * per-sender record in the state database) is decided by lib/engine's
 * vacation_decide; the reply itself goes through the same gate as
 * acknowledgements (robots, lists, loops, rate limits) and is queued in
 * the outbox inside the delivery transaction, then sent by the flush
 * after the commit. Both records roll back with the delivery.
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
static int
records_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	const char *err;

	return store_vacation_seen(ctx, sender, handle, since, &err);
}

static int
records_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	const char *err;

	return store_vacation_record(ctx, sender, handle, now, &err);
}

static int
vacation_prepare(struct action *a, struct exec_ctx *ctx,
		 enum outcome *outcome_r, const char **error_r)
{
	struct ack_request req;
	struct strlist ours = {0};
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
		    .ctx = ctx->store,
		};

		r = vacation_decide(ctx->msg, a, msg_envelope_to(ctx->msg),
				    &records, &reason);
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
	if (r < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	if (r > 0) {
		str_printf(&ctx->summary, "%svacation reply queued",
			   ctx->summary.len > 0 ? "; " : "");
		a->state = xmemdup(&id, sizeof(id));
	}
	return 0;
}

static int
vacation_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
		const char **error_r)
{
	xfree(a->state);
	return 0;
}

/* Another action failed and the message falls back to the default
   mailbox: the reply queued in this transaction must not go out (the
   per-sender record stays, as the reply-or-not decision was made). */
static void
vacation_rollback(struct action *a, struct exec_ctx *ctx)
{
	const char *error = NULL;

	if (a->state == NULL)
		return;
	if (store_outbox_drop(ctx->store, *(int64_t *)a->state, &error) < 0)
		log_warnx("vacation: cannot take back the queued reply: %s",
			  error != NULL ? error : "?");
	xfree(a->state);
}

const struct action_def act_vacation = {
    .name = "vacation",
    .prepare = vacation_prepare,
    .commit = vacation_commit,
    .rollback = vacation_rollback,
};
