/*
 * pipeline-notices.c - the notices engine in a delivery, through the
 * support core's hooks: "tracking" records the notices of a staff
 * member's copy to the tracking address, "recorded" lets every other
 * message end the notices it answers. Both run inside the delivery
 * transaction; the hooks that were installed before keep running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"
#include "notices-cli.h"
#include "pipeline.h"
#include "support.h"

struct pipeline_notices {
	struct pipeline *p;
	struct notices *ns;
	struct support_hooks prev;
	struct notices_mailer_ctx mailer_ctx;
	char errbuf[512];
};

static void
facts_of(const struct support_facts *f, struct notice_facts *nf)
{
	memset(nf, 0, sizeof(*nf));
	if (f == NULL)
		return;
	nf->from = f->from_addr != NULL && f->from_addr[0] != '\0'
		       ? f->from_addr
		       : NULL;
	nf->customer = f->customer_id;
	/* only a tag or our own Message-IDs name the issue firmly enough
	   to pick a notice by */
	if (f->match == SUPPORT_MATCH_TAG ||
	    f->match == SUPPORT_MATCH_SIGNED_ID ||
	    f->match == SUPPORT_MATCH_KNOWN_ID)
		nf->issue = f->issue;
}

static int
handle(struct pipeline_notices *pn, struct msg *msg,
       const struct support_facts *f, const char **error_r)
{
	struct notice_facts nf;
	int r;

	facts_of(f, &nf);
	r = notices_handle_message(pn->ns, msg, &nf, error_r);
	if (r < 0) {
		snprintf(pn->errbuf, sizeof(pn->errbuf), "notices: %s",
			 *error_r);
		*error_r = pn->errbuf;
		return -1;
	}
	return 0;
}

static int
hook_tracking(void *ctx, struct msg *msg, const struct support_facts *f,
	      int64_t issue, const char **error_r)
{
	struct pipeline_notices *pn = ctx;

	if (handle(pn, msg, f, error_r) < 0)
		return -1;
	if (pn->prev.tracking != NULL)
		return pn->prev.tracking(pn->prev.ctx, msg, f, issue, error_r);
	return 0;
}

static int
hook_recorded(void *ctx, struct msg *msg, const struct support_facts *f,
	      int64_t issue, bool opened, const char **error_r)
{
	struct pipeline_notices *pn = ctx;

	/* the tracking hook had it (when the rules asked for a notice) */
	if (!f->tracking && !f->duplicate && handle(pn, msg, f, error_r) < 0)
		return -1;
	if (pn->prev.recorded != NULL)
		return pn->prev.recorded(pn->prev.ctx, msg, f, issue, opened,
					 error_r);
	return 0;
}

static int
hook_closed(void *ctx, int64_t issue, const char **error_r)
{
	struct pipeline_notices *pn = ctx;

	if (pn->prev.closed != NULL)
		return pn->prev.closed(pn->prev.ctx, issue, error_r);
	return 0;
}

void
pipeline_notices_attach(struct pipeline *p)
{
	struct pipeline_notices *pn;
	struct support_hooks hooks;
	struct notice_mailer mailer = notices_cli_mailer_template;
	const char *error;

	if (p->support == NULL || p->notices != NULL || p->store == NULL)
		return;
	pn = xcalloc(1, sizeof(*pn));
	pn->p = p;
	if (notices_init(p->opts.config, p->store, &pn->ns, &error) < 0) {
		log_warnx("notices off: %s", error);
		free(pn);
		return;
	}
	pn->mailer_ctx.store = p->store;
	pn->mailer_ctx.support = p->support;
	mailer.ctx = &pn->mailer_ctx;
	notices_set_mailer(pn->ns, &mailer);
	pn->prev = *support_get_hooks(p->support);
	hooks.tracking = hook_tracking;
	hooks.recorded = hook_recorded;
	hooks.closed = hook_closed;
	hooks.ctx = pn;
	support_set_hooks(p->support, &hooks);
	p->notices = pn;
}

void
pipeline_notices_free(struct pipeline *p)
{
	if (p->notices == NULL)
		return;
	notices_deinit(&p->notices->ns);
	xfree(p->notices);
}
