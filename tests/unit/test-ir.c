/*
 * test-ir.c - lib/engine/ir.c: the evaluator's control flow (tests and
 * the register, NOT, forward jumps, RETURN, STOP, CALL and how a stop or
 * an error travels out of a called program) and the listing, with a toy
 * language whose tests read a truth table and whose commands write their
 * name into a trace.
 */
#include "unit.h"
#include "engine.h"

/* The toy language: arg is the instruction's name ("a", "b"...). A test
   is true when its name is in `truths`; a command named "err" fails, one
   named "halt" stops the run; every handler call is traced. */
struct toy {
	const char *truths;
	struct str trace;
};

static int
toy_test(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct toy *t = ctx->lang;
	const char *name = in->arg;

	str_printf(&t->trace, "t%s ", name);
	if (strcmp(name, "err") == 0)
		return -1;
	return strstr(t->truths, name) != NULL;
}

static int
toy_cmd(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct toy *t = ctx->lang;
	const char *name = in->arg;

	str_printf(&t->trace, "%s ", name);
	if (strcmp(name, "err") == 0)
		return -1;
	return strcmp(name, "halt") == 0;
}

static int
toy_call(struct ir_ctx *ctx, const struct ir_insn *in)
{
	struct toy *t = ctx->lang;
	int r;

	str_append(&t->trace, "[ ");
	r = ir_run(in->sub, ctx);
	str_append(&t->trace, "] ");
	return r;
}

static void
toy_describe(const struct ir_insn *in, struct str *out)
{
	str_append(out, in->arg);
}

static const struct ir_handler toy_tests = {
    .name = "toy test", .exec = toy_test, .describe = toy_describe};
static const struct ir_handler toy_cmds = {
    .name = "toy command", .exec = toy_cmd, .describe = toy_describe};
static const struct ir_handler toy_calls = {.name = "toy call",
					    .exec = toy_call};

/*
 * A small assembler: one token per instruction.
 *   ?x   TEST x        !   NOT       F<n> / T<n> / J<n>  JMPF/JMPT/JMP to
 *   x    CMD x         R   RETURN    label n (":n" marks label n)
 *   S    STOP          C   CALL the sub program (given apart)
 */
static struct ir_program *
assemble(const char *text, struct ir_program *sub)
{
	struct ir_program *p = ir_program_new("toy");
	char *copy = xstrdup(text), *save = NULL;
	size_t fix[10][8], nfix[10] = {0};
	static char names[64][8];
	static size_t nnames;

	for (char *tok = strtok_r(copy, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		char *name = names[nnames++ % 64];

		snprintf(name, 8, "%s", tok[0] == '?' ? tok + 1 : tok);
		switch (tok[0]) {
		case '?':
			ir_emit(p, IR_TEST, &toy_tests, name, 0);
			break;
		case '!':
			ir_emit(p, IR_NOT, NULL, NULL, 0);
			break;
		case 'F':
		case 'T':
		case 'J': {
			int l = tok[1] - '0';

			fix[l][nfix[l]++] =
			    ir_emit_jump(p, tok[0] == 'F'   ? IR_JMPF
					    : tok[0] == 'T' ? IR_JMPT
							    : IR_JMP);
			break;
		}
		case ':': {
			int l = tok[1] - '0';

			for (size_t i = 0; i < nfix[l]; i++)
				ir_patch(p, fix[l][i]);
			nfix[l] = 0;
			break;
		}
		case 'R':
			ir_emit(p, IR_RETURN, NULL, NULL, 0);
			break;
		case 'S':
			ir_emit(p, IR_STOP, NULL, NULL, 0);
			break;
		case 'C':
			p->v[ir_emit(p, IR_CALL, &toy_calls, NULL, 7)].sub =
			    sub;
			break;
		default:
			ir_emit(p, IR_CMD, &toy_cmds, name, 0);
			break;
		}
	}
	free(copy);
	return p;
}

static const struct {
	const char *prog, *sub, *truths;
	int ret;
	const char *trace;
} cases[] = {
    /* if a { x } else { y } */
    {"?a F1 x J2 :1 y :2", NULL, "a", 0, "ta x "},
    {"?a F1 x J2 :1 y :2", NULL, "", 0, "ta y "},
    /* allof (a, b): the first false test decides */
    {"?a F1 ?b :1 F2 x :2 y", NULL, "b", 0, "ta y "},
    {"?a F1 ?b :1 F2 x :2 y", NULL, "ab", 0, "ta tb x y "},
    /* anyof (a, b): the first true test decides */
    {"?a T1 ?b :1 F2 x :2 y", NULL, "a", 0, "ta x y "},
    {"?a T1 ?b :1 F2 x :2 y", NULL, "", 0, "ta tb y "},
    /* not */
    {"?a ! F1 x :1", NULL, "", 0, "ta x "},
    {"?a ! ! F1 x :1", NULL, "", 0, "ta "},
    /* stop and return end the program */
    {"x S y", NULL, "", 1, "x "},
    {"x R y", NULL, "", 0, "x "},
    /* a command may stop the run */
    {"x halt y", NULL, "", 1, "x halt "},
    /* errors, from a test or a command, end the run with -1 */
    {"?err x", NULL, "", -1, "terr "},
    {"x err y", NULL, "", -1, "x err "},
    /* a call: return ends the callee only, stop ends everything */
    {"x C y", "a R b", "", 0, "x [ a ] y "},
    {"x C y", "a S b", "", 1, "x [ a ] "},
    {"x C y", "a err b", "", -1, "x [ a err ] "},
    /* the register is the callee's own */
    {"?a C F1 x :1", "?b", "a", 0, "ta [ tb ] x "},
    /* an empty program ends at once */
    {"", NULL, "", 0, ""},
};

static void
test_run(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		struct ir_program *sub =
		    cases[i].sub != NULL ? assemble(cases[i].sub, NULL) : NULL;
		struct ir_program *p = assemble(cases[i].prog, sub);
		struct toy t = {.truths = cases[i].truths};
		struct ir_ctx ctx = {.lang = &t};

		str_append(&t.trace, "");
		assert_row_int(i, ir_run(p, &ctx), cases[i].ret);
		assert_row_str(i, str_c(&t.trace), cases[i].trace);
		str_free(&t.trace);
		ir_program_free(&p);
		ir_program_free(&sub);
	}
}

static void
test_dump(void **state)
{
	struct ir_program *main_p, *sub;
	struct str out = STR_INIT;

	(void)state;
	main_p = ir_program_new("main");
	sub = ir_program_new_sub(main_p, "main:3: block");
	ir_emit(sub, IR_CMD, &toy_cmds, (void *)"inner", 4);
	ir_emit(main_p, IR_TEST, &toy_tests, (void *)"a", 2);
	ir_patch(main_p, ir_emit_jump(main_p, IR_JMPF));
	main_p->v[ir_emit(main_p, IR_CALL, &toy_calls, NULL, 3)].sub = sub;
	ir_emit(main_p, IR_STOP, NULL, NULL, 0);
	ir_dump(main_p, &out);
	assert_row_str(
	    0, str_c(&out),
	    "program main\n"
	    "    0  test   a                                  ; line 2\n"
	    "    1  jmpf   2\n"
	    "    2  call   toy call -> main:3: block          ; line 3\n"
	    "    3  stop\n"
	    "    4  end\n"
	    "\n"
	    "program main:3: block\n"
	    "    0  cmd    inner                              ; line 4\n"
	    "    1  end\n");
	str_free(&out);
	ir_program_free(&main_p); /* frees sub too (asan checks) */
	assert_null(main_p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_run),
	    cmocka_unit_test(test_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
