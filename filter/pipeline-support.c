/*
 * pipeline-support.c - the support core's part of the per-message
 * pipeline (lib/support): analyze before the rules, turn the rules'
 * support actions (or the default flow) into a plan, record inside the
 * delivery transaction. With no [support] address nothing here runs and
 * deliver is a plain LDA.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "store.h"
#include "support.h"

int
pipeline_support_analyze(struct pipeline *p, struct msg *msg,
			 const char **error_r)
{
	const struct support_facts *facts;
	struct store *store;
	int r;

	if (p->support_off || p->opts.dry_run)
		return 0;
	if (p->support == NULL) {
		if (pipeline_store(p, &store, error_r) < 0)
			return -1;
		r = support_open(p->opts.config, store, &p->support, error_r);
		if (r < 0)
			return -1;
		if (r == 0 || store == NULL) {
			support_close(&p->support);
			p->support_off = true;
			return 0;
		}
		pipeline_outbound_attach(p);
	}
	return support_analyze(p->support, msg, &facts, error_r);
}

int
pipeline_support_plan(struct pipeline *p, struct result *result,
		      const char **error_r)
{
	bool any = false;

	if (p->support == NULL)
		return 0;
	for (size_t i = 0; i < result_count(result); i++) {
		const struct action *a = result_at(result, i);

		if (a->kind != ACTION_SUPPORT)
			continue;
		any = true;
		if (support_apply(p->support, a, error_r) < 0) {
			/* a bad argument is the rule's fault: log, go on */
			log_warnx("%s:%d: %s", a->file != NULL ? a->file : "",
				  a->line, *error_r);
		}
	}
	/* no rule file: the standard flow of rules/default.sieve */
	if (p->prog == NULL && !any)
		return support_default_flow(p->support, error_r);
	return 0;
}

int
pipeline_support_record(struct pipeline *p, const char **error_r)
{
	int64_t issue;

	if (p->support == NULL)
		return 0;
	return support_record(p->support, &issue, error_r) < 0 ? -1 : 0;
}

void
pipeline_support_done(struct pipeline *p)
{
	if (p->support != NULL)
		support_message_done(p->support);
}
