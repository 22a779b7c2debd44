/*
 * sieve-lower.c - lowering a validated Sieve script to the rule IR
 * (lib/engine, engine.h): if/elsif/else chains and allof/anyof/not
 * become jumps, stop and return become STOP and RETURN, and every other
 * command or test becomes one instruction whose handler calls the
 * definition's exec or test (the cmd-*.c, tst-*.c and ext-*.c code) with
 * the node's validated arguments.
 *
 *   if header :contains "subject" "x" { fileinto "X"; stop; }
 *   elsif anyof (size :over 1M, exists "x-big") { discard; }
 *
 *      0  test   header :contains "subject" "x"
 *      1  jmpf   5
 *      2  cmd    fileinto "X"
 *      3  stop
 *      4  jmp    10
 *      5  test   size :over 1048576
 *      6  jmpt   8
 *      7  test   exists "x-big"
 *      8  jmpf   10
 *      9  cmd    discard
 *     10  end
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

/* ---- the handlers: the definitions' exec and test ---- */

static int
command_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct sieve_node *n = in->arg;

	return n->def->exec(ctx->lang, n);
}

static int
test_exec(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct sieve_node *n = in->arg;

	return n->def->test(ctx->lang, n);
}

static void
describe_string(const struct sieve_string *s, struct str *out)
{
	str_appendc(out, '"');
	for (size_t i = 0; i < s->len; i++) {
		char c = s->s[i];

		if (c == '"' || c == '\\')
			str_appendc(out, '\\');
		if (c == '\n')
			str_append(out, "\\n");
		else if (c == '\r')
			str_append(out, "\\r");
		else
			str_appendc(out, c);
	}
	str_appendc(out, '"');
}

/* The node as the script wrote it, without its tests and block (the
   listing has those as instructions of their own). */
static void
describe_node(const struct ir_insn *in, struct str *out)
{
	const struct sieve_node *n = in->arg;

	str_append(out, n->def->name);
	for (size_t i = 0; i < n->nargs; i++) {
		const struct sieve_arg *a = &n->args[i];

		str_appendc(out, ' ');
		switch (a->type) {
		case ARG_TAG:
			str_printf(out, ":%s", a->tag);
			break;
		case ARG_NUMBER:
			str_printf(out, "%llu", (unsigned long long)a->number);
			break;
		case ARG_STRING:
			describe_string(&a->strs[0], out);
			break;
		case ARG_STRLIST:
			str_appendc(out, '[');
			for (size_t j = 0; j < a->nstrs; j++) {
				if (j > 0)
					str_append(out, ", ");
				describe_string(&a->strs[j], out);
			}
			str_appendc(out, ']');
			break;
		}
	}
}

static const struct ir_handler sieve_ir_command = {
    .name = "sieve command",
    .exec = command_exec,
    .describe = describe_node,
};

static const struct ir_handler sieve_ir_test = {
    .name = "sieve test",
    .exec = test_exec,
    .describe = describe_node,
};

/* ---- lowering ---- */

struct lower {
	struct ir_program *root; /* owns the block programs */
	const char *file;
};

static void lower_block(struct lower *l, struct ir_program *p,
			struct sieve_node **nodes, size_t n);

/* Leaves the test's value in the register. */
static void
lower_test(struct lower *l, struct ir_program *p, struct sieve_node *t)
{
	switch (t->def->lower) {
	case LOWER_ALLOF:
	case LOWER_ANYOF: {
		/* short circuit: the first false (true) test decides */
		enum ir_opcode j =
		    t->def->lower == LOWER_ALLOF ? IR_JMPF : IR_JMPT;
		size_t *jumps = xcalloc(t->ntests, sizeof(*jumps));

		for (size_t i = 0; i < t->ntests; i++) {
			lower_test(l, p, t->tests[i]);
			if (i + 1 < t->ntests)
				jumps[i] = ir_emit_jump(p, j);
		}
		for (size_t i = 0; i + 1 < t->ntests; i++)
			ir_patch(p, jumps[i]);
		free(jumps);
		break;
	}
	case LOWER_NOT:
		lower_test(l, p, t->tests[0]);
		ir_emit(p, IR_NOT, NULL, NULL, 0);
		break;
	default:
		ir_emit(p, IR_TEST, &sieve_ir_test, t, t->line);
		break;
	}
}

/* if/elsif/else from nodes[0]; returns how many nodes the chain took. */
static size_t
lower_if(struct lower *l, struct ir_program *p, struct sieve_node **nodes,
	 size_t n)
{
	size_t len = 1, *ends;

	while (len < n && nodes[len]->def != NULL &&
	       nodes[len]->def->lower == LOWER_ELSIF)
		len++;
	if (len < n && nodes[len]->def != NULL &&
	    nodes[len]->def->lower == LOWER_ELSE)
		len++;
	ends = xcalloc(len, sizeof(*ends));
	for (size_t i = 0; i < len; i++) {
		struct sieve_node *c = nodes[i];
		bool last = i + 1 == len;
		size_t skip = 0;

		if (c->def->lower != LOWER_ELSE) {
			lower_test(l, p, c->tests[0]);
			skip = ir_emit_jump(p, IR_JMPF);
		}
		lower_block(l, p, c->block, c->nblock);
		if (!last)
			ends[i] = ir_emit_jump(p, IR_JMP);
		if (c->def->lower != LOWER_ELSE)
			ir_patch(p, skip);
	}
	for (size_t i = 0; i + 1 < len; i++)
		ir_patch(p, ends[i]);
	free(ends);
	return len;
}

static void
lower_block(struct lower *l, struct ir_program *p, struct sieve_node **nodes,
	    size_t n)
{
	for (size_t i = 0; i < n;) {
		struct sieve_node *c = nodes[i];

		/* a block guarded by ihave of an unknown capability is
		   never validated and never runs */
		if (c->def == NULL) {
			i++;
			continue;
		}
		switch (c->def->lower) {
		case LOWER_IF:
			i += lower_if(l, p, nodes + i, n - i);
			continue;
		case LOWER_ELSIF:
		case LOWER_ELSE:
			/* the validator allows them only after an if */
			break;
		case LOWER_STOP:
			ir_emit(p, IR_STOP, NULL, NULL, c->line);
			break;
		case LOWER_RETURN:
			ir_emit(p, IR_RETURN, NULL, NULL, c->line);
			break;
		default:
			if (c->has_block) {
				char *name =
				    xasprintf("%s:%d: %s block", l->file,
					      c->line, c->def->name);
				struct ir_program *b =
				    ir_program_new_sub(l->root, name);

				free(name);
				lower_block(l, b, c->block, c->nblock);
				c->cmd.sub = b;
			}
			if (c->def->exec == NULL)
				break; /* require, global: compile time only */
			if (c->cmd.sub != NULL) {
				size_t at = ir_emit(
				    p, IR_CALL, &sieve_ir_command, c, c->line);

				p->v[at].sub = c->cmd.sub;
			} else {
				ir_emit(p, IR_CMD, &sieve_ir_command, c,
					c->line);
			}
			break;
		}
		i++;
	}
}

void
sieve_lower(struct sieve_script *script)
{
	struct lower l;

	ir_program_free(&script->ir);
	script->ir = ir_program_new(script->path);
	l.root = script->ir;
	l.file = script->path;
	lower_block(&l, script->ir, script->cmds, script->ncmds);
}
