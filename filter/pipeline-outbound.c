/*
 * pipeline-outbound.c - the outbound part of the per-message pipeline:
 * the support core's "recorded" hook queues the acknowledgement in the
 * delivery transaction (gate, template, outbox), the "closed" hook the
 * resolution notice when a rule resolves or closes an issue; after the commit
 * the outbox is flushed for at most [outbound] flush_budget, in a child
 * process, so a slow or dead SMTP server never holds up a delivery.
 */
#include <stdlib.h>
#include <string.h>

#include "outbound-cli.h"
#include "pipeline.h"
#include "store.h"
#include "support-ack.h"
#include "support.h"
#include "transport.h"

struct pipeline_outbound {
	struct pipeline *p;
	struct ack_settings ack;
	struct transport_settings tr;
	bool ack_ok, tr_ok;
	/* the issue a rule resolved in this message (its customer was
	   told already: no second notice from an ack on staff mail) */
	int64_t told;
};

static int
hook_recorded(void *ctx, struct msg *msg, const struct support_facts *facts,
	      int64_t issue, bool opened, const char **error_r)
{
	struct pipeline_outbound *ob = ctx;
	struct ack_request req;
	const char *tmpl, *lang, *reason;
	int64_t id, told;
	int want;
	char *mid;
	int r;

	want = support_plan_ack(ob->p->support, &tmpl, &lang);
	told = ob->told;
	ob->told = 0;
	if (!ob->ack_ok || ob->p->store == NULL)
		return 0;
	/* a robot is never answered, and the reason is logged whether a
	   rule asked for an answer or the default flow would have */
	if (facts->robot &&
	    (want != 0 || (!facts->staff && !facts->tracking))) {
		const char *error;
		char *why = xasprintf(
		    "classified %s (%s)", facts->class_name,
		    facts->class_reason != NULL ? facts->class_reason : "-");

		log_info("ack: not answering <%s> from %s: %s",
			 facts->message_id, facts->from_addr, why);
		r = store_ack_log_add(ob->p->store, facts->from_addr, issue,
				      clock_now(), "ack", facts->message_id,
				      why, 0, &error);
		free(why);
		if (r < 0) {
			*error_r = error;
			return -1;
		}
		return 0;
	}
	if (want == 0)
		return 0;
	if (issue == 0) {
		log_info("ack: not answering <%s>: not on an issue",
			 facts->message_id);
		return 0;
	}
	/* a rule's ack on staff mail (a technician's note Bcc'd to
	   support, e.g. "ack template=resolved"): the notice goes to the
	   customer of the issue, with the technician's new text as
	   {{note}} */
	if (facts->staff || facts->tracking) {
		char *note;

		if (told == issue)
			return 0;
		note = msg_text_new(msg);

		r = outbound_notice_issue(
		    ob->p->support, ob->p->store, &ob->ack, issue,
		    tmpl != NULL ? tmpl : "resolved", note, lang, error_r);
		free(note);
		return r < 0 ? -1 : 0;
	}
	/* a new (or reopened) issue only, unless the rule said :always */
	if (want == 1 && !opened && !facts->reopen)
		return 0;
	memset(&req, 0, sizeof(req));
	req.kind = "ack";
	req.msg = msg;
	req.issue = issue;
	req.template = tmpl;
	req.lang = lang;
	mid = support_message_id_new(ob->p->support, issue, "ack");
	req.message_id = mid;
	r = ack_queue(ob->p->store, &ob->ack, &req, &id, &reason, error_r);
	free(mid);
	return r < 0 ? -1 : 0;
}

/* A rule set the issue resolved or closed: the resolution notice, as
   `ackmail issue close N --note` sends it. */
static int
hook_closed(void *ctx, int64_t issue, const char **error_r)
{
	struct pipeline_outbound *ob = ctx;
	const char *note, *lang;
	int r;

	if (!ob->ack_ok || ob->p->store == NULL)
		return 0;
	note = support_plan_note(ob->p->support, &lang);
	r = outbound_notice_issue(ob->p->support, ob->p->store, &ob->ack, issue,
				  "resolved", note, lang, error_r);
	if (r > 0)
		ob->told = issue;
	return r < 0 ? -1 : 0;
}

static bool
is_our_id(const char *id, void *ctx)
{
	return support_message_id_verify(ctx, id, NULL) > 0;
}

void
pipeline_outbound_attach(struct pipeline *p)
{
	struct pipeline_outbound *ob;
	struct support_hooks hooks;
	char *err;

	if (p->support == NULL || p->outbound != NULL)
		return;
	ob = xcalloc(1, sizeof(*ob));
	ob->p = p;
	if (ack_settings_load(p->opts.config, &ob->ack, &err) < 0) {
		log_warnx("acknowledgements off: %s", err);
		free(err);
	} else {
		ob->ack_ok = true;
		ob->ack.is_our_id = is_our_id;
		ob->ack.is_our_id_ctx = p->support;
	}
	if (transport_settings_load(p->opts.config, &ob->tr, &err) < 0) {
		log_warnx("outgoing mail stays queued: %s", err);
		free(err);
	} else
		ob->tr_ok = true;
	hooks = *support_get_hooks(p->support);
	hooks.recorded = hook_recorded;
	hooks.closed = hook_closed;
	hooks.ctx = ob;
	support_set_hooks(p->support, &hooks);
	p->outbound = ob;
}

void
pipeline_outbound_flush(struct pipeline *p)
{
	struct pipeline_outbound *ob = p->outbound;
	struct transport_settings tr;
	struct outbox_stats st;
	const char *error;
	char *err;
	int64_t due;
	int r;

	if (p->store == NULL || p->opts.db_path == NULL || p->opts.dry_run)
		return;
	due = store_outbox_due(p->store, clock_now(), &error);
	if (due <= 0) {
		if (due < 0)
			log_warnx("outbox: %s", error);
		return;
	}
	if (ob == NULL || !ob->tr_ok) {
		/* vacation without the support core: settings on demand */
		if (transport_settings_load(p->opts.config, &tr, &err) < 0) {
			log_warnx("outgoing mail stays queued: %s", err);
			free(err);
			return;
		}
	} else
		tr = ob->tr;
	if (tr.flush_budget_ms > 0) {
		r = outbox_flush_bounded(p->opts.db_path, &tr,
					 tr.flush_budget_ms, &st);
		if (r >= 0)
			log_info("outbox: %s: sent %d, deferred %d, failed "
				 "%d, queued %d",
				 r == 1 ? "stopped at the budget" : "flushed",
				 st.sent, st.retry, st.failed, st.remaining);
	}
	if (ob == NULL || !ob->tr_ok)
		transport_settings_free(&tr);
}

void
pipeline_outbound_free(struct pipeline *p)
{
	struct pipeline_outbound *ob = p->outbound;

	if (ob == NULL)
		return;
	if (ob->ack_ok)
		ack_settings_free(&ob->ack);
	if (ob->tr_ok)
		transport_settings_free(&ob->tr);
	free(ob);
	p->outbound = NULL;
}
