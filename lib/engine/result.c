/*
 * result.c - the result of running rules: the action list with its
 * duplicate checks and the implicit keep, and its transactional
 * execution (prepare everything, commit everything, or roll back and
 * keep the message in the default mailbox).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "msg.h"

struct result {
	struct action **v;
	size_t n, cap;
	bool implicit_keep;
	struct strlist keep_flags;
	/* editheader: the edited header and the message as edited when
	   snap was made (snap_changes edits) */
	struct header_edit *hedit;
	struct edited_msg *snap;
	unsigned int snap_changes;
	/* work done after a successful delivery only */
	struct action **marks;
	size_t nmarks;
};

struct result *
result_new(void)
{
	struct result *r = xcalloc(1, sizeof(*r));

	r->implicit_keep = true;
	return r;
}

void
result_reset(struct result *r)
{
	for (size_t i = 0; i < r->n; i++)
		action_free(&r->v[i]);
	r->n = 0;
	r->implicit_keep = true;
	strlist_free(&r->keep_flags);
	for (size_t i = 0; i < r->nmarks; i++)
		action_free(&r->marks[i]);
	r->nmarks = 0;
	header_edit_free(&r->hedit);
	edited_msg_unref(&r->snap);
}

void
result_free(struct result **rp)
{
	struct result *r = *rp;

	if (r == NULL)
		return;
	result_reset(r);
	free(r->v);
	free(r->marks);
	free(r);
	*rp = NULL;
}

static bool
same_folder(const char *a, const char *b)
{
	if (a == NULL)
		a = "INBOX";
	if (b == NULL)
		b = "INBOX";
	if (strcasecmp(a, "INBOX") == 0 && strcasecmp(b, "INBOX") == 0)
		return true;
	return strcmp(a, b) == 0;
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether b duplicates a (same kind, same target). */
static bool
is_duplicate(const struct action *a, const struct action *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case ACTION_STORE:
		return same_folder(a->folder, b->folder) &&
		       same_str(a->mbox, b->mbox);
	case ACTION_DISCARD:
		return true;
	case ACTION_REDIRECT:
		return a->address != NULL && b->address != NULL &&
		       strcasecmp(a->address, b->address) == 0;
	case ACTION_REJECT:
	case ACTION_EREJECT:
		return true;
	case ACTION_VACATION:
		return true;
	default:
		return false;
	}
}

struct header_edit *
result_header_edit(const struct result *r)
{
	return r->hedit;
}

void
result_set_header_edit(struct result *r, struct header_edit *he)
{
	if (r->hedit != he)
		header_edit_free(&r->hedit);
	r->hedit = he;
	edited_msg_unref(&r->snap);
}

/* The message as edited so far (a new reference), NULL when the header
   is as received. */
static struct edited_msg *
current_snapshot(struct result *r)
{
	unsigned int changes;

	if (r->hedit == NULL || (changes = header_edit_changes(r->hedit)) == 0)
		return NULL;
	if (r->snap != NULL && r->snap_changes != changes)
		edited_msg_unref(&r->snap);
	if (r->snap == NULL) {
		r->snap = xcalloc(1, sizeof(*r->snap));
		r->snap->refs = 1;
		r->snap->msg = header_edit_message(r->hedit);
		r->snap_changes = changes;
	}
	r->snap->refs++;
	return r->snap;
}

const struct msg *
result_edited_msg(struct result *r)
{
	struct edited_msg *em = current_snapshot(r);
	const struct msg *m;

	if (em == NULL)
		return NULL;
	m = em->msg;
	/* r->snap keeps it alive */
	edited_msg_unref(&em);
	return m;
}

void
result_add_mark(struct result *r, struct action *mark)
{
	r->marks = xreallocarray(r->marks, r->nmarks + 1, sizeof(*r->marks));
	r->marks[r->nmarks++] = mark;
}

size_t
result_mark_count(const struct result *r)
{
	return r->nmarks;
}

struct action *
result_mark_at(const struct result *r, size_t i)
{
	return i < r->nmarks ? r->marks[i] : NULL;
}

int
result_add(struct result *r, struct action *action)
{
	for (size_t i = 0; i < r->n; i++) {
		struct action *old = r->v[i];

		if (!is_duplicate(old, action))
			continue;
		for (size_t j = 0; j < action->flags.n; j++)
			if (!strlist_contains_case(&old->flags,
						   action->flags.v[j]))
				strlist_add(&old->flags, action->flags.v[j]);
		old->copy = old->copy && action->copy;
		old->create = old->create || action->create;
		old->need_folder = old->need_folder && action->need_folder;
		action_free(&action);
		return 0;
	}
	result_append(r, action);
	return 1;
}

void
result_append(struct result *r, struct action *action)
{
	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 8 : r->cap * 2;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	/* the message as edited up to now goes with the action; a merged
	   duplicate (above) keeps the message of the first one */
	if ((action->kind == ACTION_STORE || action->kind == ACTION_REDIRECT ||
	     action->kind == ACTION_PIPE) &&
	    action->edited == NULL)
		action->edited = current_snapshot(r);
	r->v[r->n++] = action;
}

void
result_cancel_implicit_keep(struct result *r)
{
	r->implicit_keep = false;
}

bool
result_implicit_keep(const struct result *r)
{
	return r->implicit_keep;
}

void
result_set_keep_flags(struct result *r, const struct strlist *f)
{
	strlist_free(&r->keep_flags);
	for (size_t i = 0; f != NULL && i < f->n; i++)
		strlist_add(&r->keep_flags, f->v[i]);
}

size_t
result_count(const struct result *r)
{
	return r->n;
}

struct action *
result_at(const struct result *r, size_t i)
{
	return i < r->n ? r->v[i] : NULL;
}

static struct action *
implicit_keep_action(const struct strlist *flags)
{
	struct action *a = action_new(ACTION_STORE);

	a->implicit = true;
	for (size_t i = 0; flags != NULL && i < flags->n; i++)
		strlist_add(&a->flags, flags->v[i]);
	return a;
}

void
result_to_json(const struct result *r, struct str *out)
{
	for (size_t i = 0; i < r->n; i++) {
		action_to_json(r->v[i], out);
		str_appendc(out, '\n');
	}
	if (r->implicit_keep) {
		struct action *k = implicit_keep_action(&r->keep_flags);

		action_to_json(k, out);
		str_appendc(out, '\n');
		action_free(&k);
	}
}

void
exec_ctx_init(struct exec_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->lock_timeout = 60;
	ctx->pipe_timeout = 600;
}

void
exec_ctx_deinit(struct exec_ctx *ctx)
{
	str_free(&ctx->summary);
	strlist_free(&ctx->delivered_to);
	free(ctx->reject_reason);
}

/* Runs prepare on every action of list, then commit on every one.
   Returns 0, or -1 after rolling back what was prepared. */
static int
run_list(struct action **list, size_t n, struct exec_ctx *ctx,
	 const struct action_def *const *defs, enum outcome *outcome_r)
{
	size_t prepared = 0;
	const char *error = NULL;
	struct str desc = STR_INIT;

	for (; prepared < n; prepared++) {
		struct action *a = list[prepared];
		const struct action_def *def = defs[a->kind];

		if (def == NULL || def->prepare == NULL)
			continue;
		if (def->prepare(a, ctx, outcome_r, &error) < 0)
			goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		struct action *a = list[i];
		const struct action_def *def = defs[a->kind];

		if (def == NULL || def->commit == NULL)
			continue;
		if (def->commit(a, ctx, outcome_r, &error) < 0) {
			/* what was committed stays; the rest is undone and
			   the caller keeps the message: a duplicate is
			   better than a loss */
			prepared = n;
			action_describe(a, &desc);
			log_warnx("%s failed: %s", str_c(&desc),
				  error != NULL ? error : "unknown error");
			str_free(&desc);
			for (size_t j = i + 1; j < n; j++) {
				def = defs[list[j]->kind];
				if (def != NULL && def->rollback != NULL)
					def->rollback(list[j], ctx);
			}
			return -1;
		}
	}
	return 0;
fail:
	action_describe(list[prepared], &desc);
	log_warnx("%s failed: %s", str_c(&desc),
		  error != NULL ? error : "unknown error");
	str_free(&desc);
	for (size_t j = 0; j <= prepared && j < n; j++) {
		const struct action_def *def = defs[list[j]->kind];

		if (def != NULL && def->rollback != NULL)
			def->rollback(list[j], ctx);
	}
	return -1;
}

/* The marks (duplicate ids) of a result delivered as the rules said: a
   failure here is logged, not fatal, since the message is safe. */
static void
run_marks(struct result *r, struct exec_ctx *ctx,
	  const struct action_def *const *defs)
{
	for (size_t i = 0; i < r->nmarks; i++) {
		struct action *a = r->marks[i];
		const struct action_def *def = defs[a->kind];
		enum outcome outcome = OUTCOME_OK;
		const char *error = NULL;

		if (def == NULL || def->commit == NULL)
			continue;
		if (def->commit(a, ctx, &outcome, &error) < 0)
			log_warnx("%s failed: %s", action_kind_name(a->kind),
				  error != NULL ? error : "unknown error");
	}
}

enum outcome
result_execute(struct result *r, struct exec_ctx *ctx,
	       const struct action_def *const *defs)
{
	struct action **list;
	struct action *keep = NULL;
	enum outcome outcome = OUTCOME_TEMPFAIL;
	size_t n = 0;

	list = xcalloc(r->n + 1, sizeof(*list));
	for (size_t i = 0; i < r->n; i++)
		list[n++] = r->v[i];
	if (r->implicit_keep) {
		keep = implicit_keep_action(&r->keep_flags);
		/* the implicit keep stores the message with every edit */
		keep->edited = current_snapshot(r);
		list[n++] = keep;
	}
	if (run_list(list, n, ctx, defs, &outcome) == 0) {
		free(list);
		action_free(&keep);
		run_marks(r, ctx, defs);
		return OUTCOME_OK;
	}
	free(list);
	action_free(&keep);
	if (outcome == OUTCOME_PERMFAIL) {
		/* nothing permanent comes out of delivery; treat as
		   transient so the fallback still runs */
		outcome = OUTCOME_TEMPFAIL;
	}
	/* fallback: the implicit keep into the default mailbox, of the
	   message as received (Pigeonhole's failure keep) */
	keep = implicit_keep_action(NULL);
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_append(&ctx->summary, "fallback ");
	if (run_list(&keep, 1, ctx, defs, &outcome) == 0) {
		action_free(&keep);
		return OUTCOME_OK;
	}
	action_free(&keep);
	return OUTCOME_KEEP_FAILED;
}
