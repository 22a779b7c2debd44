/*
 * test-procmail-parse.c - the procmailrc parser: recipe forms, flags,
 * conditions with continuations, actions, nested blocks, and the
 * file:line:col diagnostics of what it skips; language detection.
 */
#include "unit.h"

#include "procmail.h"

struct parse_case {
	const char *rc;
	const char *diags; /* diag_format() output */
	int nodes;	   /* top-level nodes */
};

static const struct parse_case cases[] = {
    {"A=1\n:0\n* ^Subject: x\nfolder/\n", "", 2},
    {":0 HBDc: my.lock\n* a\n* b\\\n  c\n| prog \\\n  arg\n", "", 1},
    {":0\n{\n  :0\n  { X=1 }\n}\n", "", 1},
    {":0\n! a@b c@d\n:0 w\nVAR=| echo hi\n", "", 2},
    {"# comment\n\nA=\"x y\" # c\nB='q'\n", "", 2},
    {":0 Q\nf\n", "t.rc:1:4: error: unknown recipe flag 'Q'\n", 1},
    {":0\n{\n:0\nf\n", "t.rc:5:1: error: missing closing brace\n", 1},
    {"}\n", "t.rc:1:1: error: closing brace unexpected\n", 0},
    {"A=1\n@@@\n", "t.rc:2:1: error: syntax error, skipped: @@@\n", 1},
    {":0\n", "t.rc:2:1: error: recipe without an action\n", 1},
    {"A=\"open\n", "t.rc:2:1: error: unterminated \" quote\n", 1},
};

static void
test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		struct pm_rc *rc = NULL;
		struct diag diag = {0};
		struct str out = STR_INIT;
		int n = 0;

		(void)pm_parse("t.rc", cases[i].rc, strlen(cases[i].rc), &rc,
			       &diag);
		diag_format(&diag, &out);
		assert_row_str(i, str_c(&out), cases[i].diags);
		for (struct pm_node *p = rc->nodes; p != NULL; p = p->next)
			n++;
		assert_row_int(i, n, cases[i].nodes);
		str_free(&out);
		diag_free(&diag);
		pm_rc_free(&rc);
	}
}

static void
test_recipe_parts(void **state)
{
	const char *text = ":0 Bc: lk\n* 1^1 a\\\n   b\n* ! c  \nX=| cmd x\n";
	struct pm_rc *rc = NULL;
	struct diag diag = {0};
	struct pm_recipe *r;

	(void)state;
	assert_int_equal(pm_parse("t", text, strlen(text), &rc, &diag), 0);
	r = &rc->nodes->recipe;
	assert_true(r->flags.B && r->flags.c && !r->flags.H);
	assert_true(r->lock);
	assert_string_equal(r->lockfile, "lk");
	assert_int_equal(r->nconds, 2);
	assert_string_equal(r->conds[0].raw, "1^1 ab");
	assert_string_equal(r->conds[1].raw, "! c");
	assert_int_equal(r->action, PM_ACT_PIPE);
	assert_string_equal(r->capture, "X");
	assert_string_equal(r->action_text, " cmd x");
	pm_rc_free(&rc);
	diag_free(&diag);
}

struct detect_case {
	const char *text;
	int want;
};

static const struct detect_case detects[] = {
    {":0\n* x\nf\n", 1},
    {"MAILDIR=$HOME/Mail\n", 1},
    {"require \"fileinto\";\nfileinto \"x\";\n", 0},
    {"if header :contains \"subject\" \"x\" { keep; }\n", 0},
};

static void
test_detect(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(detects); i++)
		assert_row_int(
		    i, pm_detect(detects[i].text, strlen(detects[i].text)),
		    detects[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_recipe_parts),
	    cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
