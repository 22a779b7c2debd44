/*
 * outbound-cli.c - outgoing mail for the commands: the "resolved"
 * message `ackmail issue close N --note TEXT` sends the customer (the
 * support core's closed hook), queued in the same transaction as the
 * state change and recorded on the issue as our message, then sent
 * within [outbound] flush_budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbound-cli.h"
#include "store.h"
#include "support-ack.h"
#include "support.h"
#include "transport.h"

struct outbound_close {
	struct support *support;
	struct store *store;
	struct ack_settings ack;
	const char *note, *lang;
	int queued;
};

static struct outbound_close close_ctx;

int
outbound_notice_issue(struct support *support, struct store *store,
		      const struct ack_settings *ack, int64_t number,
		      const char *template, const char *note, const char *lang,
		      const char **error_r)
{
	struct store_issue is;
	struct store_customer c;
	struct store_message m;
	struct ack_request req;
	struct store_outbox_item it;
	const char *reason;
	char *mid, *name = NULL;
	int64_t id;
	int r;

	if ((r = store_issue_get(store, number, &is, error_r)) <= 0)
		return r;
	if (is.opener == NULL || *is.opener == '\0') {
		log_warnx("issue #%lld: nobody to tell it is resolved",
			  (long long)number);
		store_issue_clear(&is);
		return 0;
	}
	if (is.customer_id != 0 &&
	    store_customer_get(store, is.customer_id, &c, error_r) > 0) {
		if (c.name != NULL && *c.name != '\0')
			name = xstrdup(c.name);
		store_customer_clear(&c);
	}
	mid = support_message_id_new(support, number, "resolved");
	memset(&req, 0, sizeof(req));
	req.kind = "resolution";
	req.issue = number;
	req.template = template != NULL ? template : "resolved";
	req.lang = lang;
	req.to = is.opener;
	req.to_name = name;
	req.subject = is.subject;
	req.note = note;
	req.skip_gate = true;
	req.message_id = mid;
	r = ack_queue(store, ack, &req, &id, &reason, error_r);
	if (r == 1) {
		/* our message on the issue: the customer's answer to it
		   finds the issue through its signed Message-ID */
		memset(&m, 0, sizeof(m));
		memset(&it, 0, sizeof(it));
		m.message_id = mid;
		m.outgoing = true;
		m.from_addr =
		    ack->addresses.n > 0 ? ack->addresses.v[0] : (char *)"";
		m.to_addrs = is.opener;
		m.subject = is.subject;
		m.class = (char *)"human";
		m.issue = number;
		m.customer_id = is.customer_id;
		m.match_reason = (char *)"resolution notice";
		m.date = m.received_at = clock_now();
		m.body = (char *)(note != NULL ? note : "");
		if (store_message_add(store, &m, error_r) < 0)
			r = -1;
		is.resolved_told = true;
		is.last_ours_at = clock_now();
		if (r >= 0 && store_issue_update(store, &is, error_r) < 0)
			r = -1;
		if (r >= 0)
			r = 1;
	} else if (r == 0)
		log_warnx("issue #%lld: resolution notice not sent: %s",
			  (long long)number, reason);
	free(mid);
	free(name);
	store_issue_clear(&is);
	return r;
}

static int
hook_closed(void *ctx, int64_t number, const char **error_r)
{
	struct outbound_close *oc = ctx;
	int r = outbound_notice_issue(oc->support, oc->store, &oc->ack, number,
				      "resolved", oc->note, oc->lang, error_r);

	if (r > 0) {
		oc->queued++;
		printf("queued the resolution notice of #%lld\n",
		       (long long)number);
	}
	return r < 0 ? -1 : 0;
}

void
outbound_cli_close_hook(struct support *support, struct store *store,
			const struct config *config, const char *note,
			const char *lang)
{
	struct support_hooks hooks;
	char *err;

	memset(&close_ctx, 0, sizeof(close_ctx));
	if (ack_settings_load(config, &close_ctx.ack, &err) < 0) {
		log_warnx("resolution notices off: %s", err);
		free(err);
		return;
	}
	close_ctx.support = support;
	close_ctx.store = store;
	close_ctx.note = note;
	close_ctx.lang = lang;
	hooks = *support_get_hooks(support);
	hooks.closed = hook_closed;
	hooks.ctx = &close_ctx;
	support_set_hooks(support, &hooks);
}

void
outbound_cli_flush(struct store *store, const struct config *config)
{
	struct transport_settings tr;
	struct outbox_stats st;
	const char *error;
	char *err;

	if (close_ctx.support != NULL)
		ack_settings_free(&close_ctx.ack);
	if (close_ctx.queued == 0) {
		memset(&close_ctx, 0, sizeof(close_ctx));
		return;
	}
	memset(&close_ctx, 0, sizeof(close_ctx));
	if (transport_settings_load(config, &tr, &err) < 0) {
		log_warnx("the notice stays queued: %s", err);
		free(err);
		return;
	}
	if (tr.flush_budget_ms > 0 &&
	    outbox_flush(store, &tr, tr.flush_budget_ms, &st, &error) < 0)
		log_warnx("outbox: %s", error);
	transport_settings_free(&tr);
}

int
outbound_cli_check(const struct config *config, struct str *errors)
{
	struct ack_settings ack;
	struct transport_settings tr;
	char *err;
	int problems = 0;

	if (transport_settings_load(config, &tr, &err) < 0) {
		str_printf(errors, "%s\n", err);
		free(err);
		problems++;
	} else
		transport_settings_free(&tr);
	if (ack_settings_load(config, &ack, &err) < 0) {
		str_printf(errors, "%s\n", err);
		free(err);
		return problems + 1;
	}
	if (ack.addresses.n > 0 ||
	    config_get(config, "ack", NULL, "template_dir") != NULL)
		problems += ack_templates_check(&ack, errors);
	/* accepted so that old configurations still pass; it never did
	   anything */
	if (config_get(config, "notices", NULL, "template") != NULL)
		log_warnx("[notices] template is obsolete and ignored: "
			  "reminders and on-duty mails use [notices] "
			  "reminder_template and on_duty_template");
	ack_settings_free(&ack);
	return problems;
}
