/*
 * pm-lower.c - lowering a parsed procmailrc to the rule IR (engine.h)
 * and running it: assignments are commands, a recipe's A/a/E/e flags a
 * test of the previous recipe's outcome, its conditions tests joined by
 * jumps, its action a command (a call for a { } block). The handlers
 * call the evaluator in pm-eval.c (conditions, assignments, actions).
 *
 * Each level (an rc file, a block) has its own "last recipe matched"
 * and "its action succeeded" pair, kept in struct pm_level while its
 * program runs. Scoring keeps procmail's rules: weighted conditions
 * never cut the list short, a score at +2147483647 ends the conditions
 * as matched (the rest are not evaluated), one at -2147483647 as not.
 *
 *   :0 A                     0  test   prev :0A
 *   * ^Subject:.*urgent      1  jmpf   8
 *   urgent/                  2  cmd    begin
 *                            3  test   * ^Subject:.*urgent
 *                            4  jmpf   7
 *                            5  test   score
 *                            6  jmpf   7   (then: matched, the action,
 *                                           jmp, and "unmatched" at 7)
 */
#include <stdlib.h>
#include <string.h>

#include "pm-private.h"

#define SCORE_MAX 2147483647.0

static int
stop_now(const struct pm_state *st)
{
	return st->delivered || st->stop ? 1 : 0;
}

/* ---- handlers ---- */

static int
assign_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;

	pm_eval_assign(st, in->arg);
	return stop_now(st);
}

/* A: the previous recipe matched; a: and its action succeeded; E: it
   did not match; e: it matched and its action failed. */
static int
prev_test(const struct pm_state *st, const struct pm_node *n)
{
	const struct pm_flags *f = &n->recipe.flags;
	const struct pm_level *lv = st->level;

	if (f->A && !lv->lastcond)
		return 0;
	if (f->a && !(lv->lastcond && lv->lastsucc))
		return 0;
	if (f->E && lv->lastcond)
		return 0;
	if (f->e && (lv->lastsucc || !lv->lastcond))
		return 0;
	return 1;
}

static int
prev_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;
	const struct pm_node *n = in->arg;

	if (prev_test(st, n))
		return 1;
	/* skipped: procmail still reads its lines */
	pm_read_skipped(st, &n->recipe, 0);
	return 0;
}

static int
begin_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;
	const struct pm_node *n = in->arg;

	pm_eval_reach(st, n->line);
	st->level->recipe = &n->recipe;
	st->level->score = 0;
	st->level->weighted = false;
	st->level->saturated = false;
	st->level->nread = 0;
	return 0;
}

static int
cond_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;
	struct pm_level *lv = st->level;
	const struct pm_cond *c = in->arg;
	bool w = false;
	int res;

	lv->nread++;
	if (pm_cond_too_long(st, c->raw)) {
		/* procmail cannot read the line: the recipe fails */
		pm_linebuf_exceeded(st);
		return 0;
	}
	if (lv->saturated)
		return 1; /* the score is at its top: matched */
	res = pm_eval_cond(st, lv->recipe, c->raw, &lv->score, &w);
	if (res < 0)
		return 0; /* its expansion did not fit: fails */
	if (w)
		lv->weighted = true;
	else if (res == 0)
		return 0;
	if (lv->score >= SCORE_MAX) {
		lv->score = SCORE_MAX;
		lv->saturated = true;
		return 1;
	}
	if (lv->score <= -SCORE_MAX) {
		lv->score = -SCORE_MAX;
		return 0;
	}
	return 1;
}

static void
score_store(struct pm_state *st)
{
	double s = st->level->score;

	st->score = s > SCORE_MAX ? SCORE_MAX : s < -SCORE_MAX ? -SCORE_MAX : s;
}

/* With weighted conditions, a recipe matches only with a positive
   score. Sets $= either way. */
static int
score_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;

	score_store(st);
	return !(st->level->weighted && st->score <= 0);
}

static int
matched_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;

	st->level->lastcond = true;
	return 0;
}

static int
unmatched_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;

	score_store(st);
	st->level->lastcond = false;
	/* the lines procmail reads past without running them */
	pm_read_skipped(st, st->level->recipe, st->level->nread);
	return 0;
}

static int
action_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct pm_state *st = ctx->lang;
	const struct pm_node *n = in->arg;
	struct pm_level *lv = st->level;
	int ok;

	/* a block: run_action() runs it through pm_run_nodes(), which
	   takes this lowered program instead of lowering it again */
	st->block_ir = in->sub;
	st->block_nodes = n->recipe.block;
	ok = pm_eval_action(st, n);
	st->block_ir = NULL;
	st->block_nodes = NULL;
	if (ok != PM_ACTION_UNREAD)
		lv->lastsucc = ok > 0;
	return stop_now(st);
}

/* ---- descriptions for the listing ---- */

/* Appends s on one line: newlines as \n, leading blanks dropped. */
static void
describe_text(const char *s, struct str *out)
{
	s += strspn(s, " \t");
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			str_append(out, "\\n");
		else
			str_appendc(out, *s);
	}
}

static void
describe_flags(const struct pm_node *n, struct str *out)
{
	const struct pm_flags *f = &n->recipe.flags;
	const struct {
		bool on;
		char c;
	} fl[] = {{f->H, 'H'}, {f->B, 'B'}, {f->D, 'D'}, {f->A, 'A'},
		  {f->a, 'a'}, {f->E, 'E'}, {f->e, 'e'}, {f->h, 'h'},
		  {f->b, 'b'}, {f->f, 'f'}, {f->c, 'c'}, {f->w, 'w'},
		  {f->W, 'W'}, {f->i, 'i'}, {f->r, 'r'}};

	str_append(out, ":0");
	for (size_t i = 0; i < N_ELEMENTS(fl); i++)
		if (fl[i].on)
			str_appendc(out, fl[i].c);
	if (n->recipe.lock) {
		str_appendc(out, ':');
		if (n->recipe.lockfile != NULL)
			str_append(out, n->recipe.lockfile);
	}
}

static void
assign_describe(const struct ir_insn *in, struct str *out)
{
	const struct pm_node *n = in->arg;

	str_printf(out, "assign %s", n->name);
	if (n->value != NULL) {
		str_appendc(out, '=');
		describe_text(n->value, out);
	}
}

static void
prev_describe(const struct ir_insn *in, struct str *out)
{
	str_append(out, "prev ");
	describe_flags(in->arg, out);
}

static void
cond_describe(const struct ir_insn *in, struct str *out)
{
	const struct pm_cond *c = in->arg;

	str_append(out, "* ");
	describe_text(c->raw, out);
}

static void
pm_action_describe(const struct ir_insn *in, struct str *out)
{
	const struct pm_node *n = in->arg;
	const struct pm_recipe *r = &n->recipe;

	str_append(out, "action ");
	describe_flags(n, out);
	switch (r->action) {
	case PM_ACT_FOLDER:
		str_appendc(out, ' ');
		break;
	case PM_ACT_PIPE:
		if (r->capture != NULL)
			str_printf(out, " %s=", r->capture);
		str_append(out, " | ");
		break;
	case PM_ACT_FORWARD:
		str_append(out, " ! ");
		break;
	case PM_ACT_BLOCK:
		str_append(out, " {}");
		return;
	}
	describe_text(r->action_text != NULL ? r->action_text : "", out);
}

static const struct ir_handler h_assign = {
    .name = "assign", .exec = assign_exec, .describe = assign_describe};
static const struct ir_handler h_prev = {
    .name = "prev", .exec = prev_exec, .describe = prev_describe};
static const struct ir_handler h_begin = {.name = "begin", .exec = begin_exec};
static const struct ir_handler h_cond = {
    .name = "cond", .exec = cond_exec, .describe = cond_describe};
static const struct ir_handler h_score = {.name = "score", .exec = score_exec};
static const struct ir_handler h_matched = {.name = "matched",
					    .exec = matched_exec};
static const struct ir_handler h_unmatched = {.name = "unmatched",
					      .exec = unmatched_exec};
static const struct ir_handler h_action = {
    .name = "action", .exec = action_exec, .describe = pm_action_describe};

/* ---- lowering ---- */

static void lower_nodes(struct ir_program *root, struct ir_program *p,
			const char *file, const struct pm_node *n);

static void
lower_recipe(struct ir_program *root, struct ir_program *p, const char *file,
	     const struct pm_node *n)
{
	const struct pm_recipe *r = &n->recipe;
	const struct pm_flags *f = &r->flags;
	size_t skip = 0, end, *nomatch;
	size_t nn = 0;
	bool guarded = f->A || f->a || f->E || f->e;

	if (guarded) {
		ir_emit(p, IR_TEST, &h_prev, (void *)n, n->line);
		skip = ir_emit_jump(p, IR_JMPF);
	}
	/* the recipe being run, for the condition handlers */
	ir_emit(p, IR_CMD, &h_begin, (void *)n, 0);
	nomatch = xcalloc(r->nconds + 1, sizeof(*nomatch));
	for (size_t i = 0; i < r->nconds; i++) {
		ir_emit(p, IR_TEST, &h_cond, &r->conds[i], r->conds[i].line);
		nomatch[nn++] = ir_emit_jump(p, IR_JMPF);
	}
	ir_emit(p, IR_TEST, &h_score, NULL, 0);
	nomatch[nn++] = ir_emit_jump(p, IR_JMPF);
	ir_emit(p, IR_CMD, &h_matched, NULL, 0);
	if (r->action == PM_ACT_BLOCK) {
		char *name = xasprintf("%s:%d: block", file, n->line);
		struct ir_program *b = ir_program_new_sub(root, name);
		size_t at;

		free(name);
		lower_nodes(root, b, file, r->block);
		at = ir_emit(p, IR_CALL, &h_action, (void *)n,
			     r->action_line > 0 ? r->action_line : n->line);
		p->v[at].sub = b;
	} else {
		ir_emit(p, IR_CMD, &h_action, (void *)n,
			r->action_line > 0 ? r->action_line : n->line);
	}
	end = ir_emit_jump(p, IR_JMP);
	for (size_t i = 0; i < nn; i++)
		ir_patch(p, nomatch[i]);
	free(nomatch);
	ir_emit(p, IR_CMD, &h_unmatched, NULL, 0);
	ir_patch(p, end);
	if (guarded)
		ir_patch(p, skip);
}

static void
lower_nodes(struct ir_program *root, struct ir_program *p, const char *file,
	    const struct pm_node *n)
{
	for (; n != NULL; n = n->next) {
		if (n->kind == PM_NODE_ASSIGN)
			ir_emit(p, IR_CMD, &h_assign, (void *)n, n->line);
		else
			lower_recipe(root, p, file, n);
	}
}

struct ir_program *
pm_lower(const char *file, const struct pm_node *nodes)
{
	struct ir_program *p = ir_program_new(file);

	lower_nodes(p, p, file, nodes);
	return p;
}

/* ---- running ---- */

int
pm_run_ir(struct pm_state *st, const struct ir_program *prog,
	  struct pm_level *lv)
{
	struct pm_level *saved = st->level;
	struct ir_ctx ctx = {.lang = st, .result = NULL};
	int r;

	st->level = lv;
	r = ir_run(prog, &ctx);
	st->level = saved;
	return r;
}
