/*
 * ir.c - the rule IR both languages lower to: building a program,
 * running it with a program counter and one test register, and listing
 * it (ackmail check --ir, the golden tests).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const char *const opcode_names[] = {
    [IR_TEST] = "test", [IR_NOT] = "not",	[IR_JMP] = "jmp",
    [IR_JMPF] = "jmpf", [IR_JMPT] = "jmpt",	[IR_CMD] = "cmd",
    [IR_CALL] = "call", [IR_RETURN] = "return", [IR_STOP] = "stop",
};

const char *
ir_opcode_name(enum ir_opcode op)
{
	return (size_t)op < N_ELEMENTS(opcode_names) ? opcode_names[op] : "?";
}

struct ir_program *
ir_program_new(const char *name)
{
	struct ir_program *p = xcalloc(1, sizeof(*p));

	p->name = xstrdup(name != NULL ? name : "-");
	return p;
}

struct ir_program *
ir_program_new_sub(struct ir_program *parent, const char *name)
{
	struct ir_program *p = ir_program_new(name);

	parent->subs = xreallocarray(parent->subs, parent->nsubs + 1,
				     sizeof(*parent->subs));
	parent->subs[parent->nsubs++] = p;
	return p;
}

void
ir_program_free(struct ir_program **progp)
{
	struct ir_program *p = *progp;

	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nsubs; i++)
		ir_program_free(&p->subs[i]);
	free(p->subs);
	free(p->v);
	free(p->name);
	free(p);
	*progp = NULL;
}

size_t
ir_emit(struct ir_program *p, enum ir_opcode op,
	const struct ir_handler *handler, void *arg, int line)
{
	struct ir_insn *in;

	assert((op == IR_TEST || op == IR_CMD || op == IR_CALL) ==
	       (handler != NULL));
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 16 : p->cap * 2;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	in = &p->v[p->n];
	memset(in, 0, sizeof(*in));
	in->op = op;
	in->handler = handler;
	in->arg = arg;
	in->line = line;
	return p->n++;
}

size_t
ir_emit_jump(struct ir_program *p, enum ir_opcode op)
{
	assert(op == IR_JMP || op == IR_JMPF || op == IR_JMPT);
	return ir_emit(p, op, NULL, NULL, 0);
}

size_t
ir_here(const struct ir_program *p)
{
	return p->n;
}

void
ir_patch(struct ir_program *p, size_t at)
{
	assert(at < p->n);
	/* forward only: the programs have no loops, every run ends */
	p->v[at].target = p->n;
}

int
ir_run(const struct ir_program *prog, struct ir_ctx *ctx)
{
	const struct ir_insn *v = prog->v;
	size_t pc = 0, n = prog->n;
	bool reg = false;
	int r;

	while (pc < n) {
		const struct ir_insn *in = &v[pc];

		switch (in->op) {
		case IR_TEST:
			if ((r = in->handler->exec(ctx, in)) < 0)
				return -1;
			reg = r > 0;
			break;
		case IR_NOT:
			reg = !reg;
			break;
		case IR_JMP:
			pc = in->target;
			continue;
		case IR_JMPF:
			if (!reg) {
				pc = in->target;
				continue;
			}
			break;
		case IR_JMPT:
			if (reg) {
				pc = in->target;
				continue;
			}
			break;
		case IR_CMD:
		case IR_CALL:
			if ((r = in->handler->exec(ctx, in)) != 0)
				return r < 0 ? -1 : 1;
			break;
		case IR_RETURN:
			return 0;
		case IR_STOP:
			return 1;
		}
		pc++;
	}
	return 0;
}

/* ---- the listing ---- */

static void
dump_one(const struct ir_program *p, struct str *out)
{
	str_printf(out, "program %s\n", p->name);
	for (size_t i = 0; i < p->n; i++) {
		const struct ir_insn *in = &p->v[i];
		size_t mark = out->len;

		str_printf(out, "%5zu  %-6s", i, ir_opcode_name(in->op));
		switch (in->op) {
		case IR_JMP:
		case IR_JMPF:
		case IR_JMPT:
			str_printf(out, " %zu", in->target);
			break;
		case IR_TEST:
		case IR_CMD:
		case IR_CALL:
			str_append(out, " ");
			if (in->handler->describe != NULL)
				in->handler->describe(in, out);
			else
				str_append(out, in->handler->name);
			if (in->op == IR_CALL && in->sub != NULL)
				str_printf(out, " -> %s", in->sub->name);
			break;
		default:
			break;
		}
		if (in->line > 0) {
			size_t w = out->len - mark;

			/* line numbers in a column where they fit */
			for (; w < 48; w++)
				str_appendc(out, ' ');
			str_printf(out, " ; line %d", in->line);
		}
		/* no trailing blanks in the golden files */
		while (out->len > mark && out->s[out->len - 1] == ' ')
			str_truncate(out, out->len - 1);
		str_appendc(out, '\n');
	}
	str_printf(out, "%5zu  end\n", p->n);
}

static void
collect(const struct ir_program *p, const struct ir_program ***seen, size_t *n)
{
	/* a file included twice is loaded twice: list it once */
	for (size_t i = 0; i < *n; i++)
		if ((*seen)[i] == p || strcmp((*seen)[i]->name, p->name) == 0)
			return;
	*seen = xreallocarray(*seen, *n + 1, sizeof(**seen));
	(*seen)[(*n)++] = p;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].op == IR_CALL && p->v[i].sub != NULL)
			collect(p->v[i].sub, seen, n);
}

void
ir_dump(const struct ir_program *prog, struct str *out)
{
	const struct ir_program **seen = NULL;
	size_t n = 0;

	str_append(out, "");
	collect(prog, &seen, &n);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			str_appendc(out, '\n');
		dump_one(seen[i], out);
	}
	free(seen);
}
