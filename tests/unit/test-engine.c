/*
 * test-engine.c - lib/engine: duplicate merging, the implicit keep, JSON,
 * and transactional execution with rollback and the fallback keep.
 */
#include "unit.h"
#include "engine.h"

/* A fake action table that records calls and fails on demand. */
static struct str calls;
static const char *fail_prepare_folder, *fail_commit_folder;
static int keep_fails;

static const char *
name_of(const struct action *a)
{
	return a->folder != NULL ? a->folder : (a->implicit ? "keep" : "INBOX");
}

static int
fake_prepare(struct action *a, struct exec_ctx *ctx, enum outcome *o,
	     const char **e)
{
	(void)ctx;
	str_printf(&calls, "P(%s)", name_of(a));
	if ((fail_prepare_folder != NULL && a->folder != NULL &&
	     strcmp(a->folder, fail_prepare_folder) == 0) ||
	    (a->implicit && keep_fails)) {
		*o = OUTCOME_TEMPFAIL;
		*e = "injected";
		return -1;
	}
	return 0;
}

static int
fake_commit(struct action *a, struct exec_ctx *ctx, enum outcome *o,
	    const char **e)
{
	(void)ctx;
	str_printf(&calls, "C(%s)", name_of(a));
	if (fail_commit_folder != NULL && a->folder != NULL &&
	    strcmp(a->folder, fail_commit_folder) == 0) {
		*o = OUTCOME_TEMPFAIL;
		*e = "injected";
		return -1;
	}
	return 0;
}

static void
fake_rollback(struct action *a, struct exec_ctx *ctx)
{
	(void)ctx;
	str_printf(&calls, "R(%s)", name_of(a));
}

static const struct action_def fake = {
    .name = "fake",
    .prepare = fake_prepare,
    .commit = fake_commit,
    .rollback = fake_rollback,
};
static const struct action_def *const defs[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = &fake,
    [ACTION_REDIRECT] = &fake,
};

static struct action *
fileinto(const char *folder, const char *flag, bool copy)
{
	struct action *a = action_new(ACTION_STORE);

	a->folder = folder != NULL ? xstrdup(folder) : NULL;
	if (flag != NULL)
		strlist_add(&a->flags, flag);
	a->copy = copy;
	return a;
}

static void
test_duplicates(void **state)
{
	struct result *r = result_new();
	struct action *red;

	(void)state;
	assert_int_equal(result_add(r, fileinto("A", "\\Seen", false)), 1);
	assert_int_equal(result_add(r, fileinto("A", "\\Flagged", true)), 0);
	assert_int_equal(result_add(r, fileinto("B", NULL, false)), 1);
	assert_int_equal(result_add(r, fileinto("inbox", NULL, false)), 1);
	assert_int_equal(result_add(r, fileinto(NULL, NULL, false)), 0);
	red = action_new(ACTION_REDIRECT);
	red->address = xstrdup("a@x.example");
	assert_int_equal(result_add(r, red), 1);
	red = action_new(ACTION_REDIRECT);
	red->address = xstrdup("A@X.example");
	assert_int_equal(result_add(r, red), 0);
	assert_int_equal(result_count(r), 4);
	assert_int_equal(result_at(r, 0)->flags.n, 2);
	assert_false(result_at(r, 0)->copy);
	result_free(&r);
}

static void
test_json(void **state)
{
	struct result *r = result_new();
	struct str out = STR_INIT;
	struct strlist flags = {0};

	(void)state;
	result_add(r, fileinto("Support/Acme", "\\Seen", false));
	strlist_add(&flags, "$label1");
	result_set_keep_flags(r, &flags);
	strlist_free(&flags);
	result_to_json(r, &out);
	assert_string_equal(
	    str_c(&out),
	    "{\"action\":\"store\",\"folder\":\"Support/Acme\",\"flags\":"
	    "[\"\\\\Seen\"],\"implicit\":false,\"copy\":false}\n"
	    "{\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":"
	    "[\"$label1\"],\"implicit\":true,\"copy\":false}\n");
	str_truncate(&out, 0);
	result_cancel_implicit_keep(r);
	result_to_json(r, &out);
	assert_null(strstr(str_c(&out), "\"implicit\":true"));
	str_free(&out);
	result_free(&r);
}

static void
test_execute(void **state)
{
	static const struct {
		const char *fail_prepare, *fail_commit;
		int keep_fails;
		bool cancel_keep;
		enum outcome want;
		const char *calls;
	} rows[] = {
	    /* everything prepared, then everything committed */
	    {NULL, NULL, 0, false, OUTCOME_OK,
	     "P(A)P(B)P(keep)C(A)C(B)C(keep)"},
	    {NULL, NULL, 0, true, OUTCOME_OK, "P(A)P(B)C(A)C(B)"},
	    /* a failed prepare rolls back and falls back to the keep */
	    {"B", NULL, 0, true, OUTCOME_OK,
	     "P(A)P(B)R(A)R(B)P(keep)C(keep)"},
	    /* a failed commit undoes the rest and keeps the message */
	    {NULL, "A", 0, true, OUTCOME_OK, "P(A)P(B)C(A)R(B)P(keep)C(keep)"},
	    /* even the keep fails: KEEP_FAILED (exit 75) */
	    {"A", NULL, 1, true, OUTCOME_KEEP_FAILED,
	     "P(A)R(A)P(keep)R(keep)"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct result *r = result_new();
		struct exec_ctx ctx;
		enum outcome o;

		exec_ctx_init(&ctx);
		str_truncate(&calls, 0);
		fail_prepare_folder = rows[i].fail_prepare;
		fail_commit_folder = rows[i].fail_commit;
		keep_fails = rows[i].keep_fails;
		result_add(r, fileinto("A", NULL, false));
		result_add(r, fileinto("B", NULL, false));
		if (rows[i].cancel_keep)
			result_cancel_implicit_keep(r);
		o = result_execute(r, &ctx, defs);
		assert_row_int(i, o, rows[i].want);
		assert_row_str(i, str_c(&calls), rows[i].calls);
		exec_ctx_deinit(&ctx);
		result_free(&r);
	}
	str_free(&calls);
}

static void
test_diag(void **state)
{
	struct diag d = {0};
	struct str out = STR_INIT;

	(void)state;
	diag_add(&d, DIAG_ERROR, "rules.sieve", 3, 7, "unknown command '%s'",
		 "filein");
	diag_add(&d, DIAG_WARNING, "rules.sieve", 9, 1, "unused");
	diag_format(&d, &out);
	assert_string_equal(str_c(&out),
			    "rules.sieve:3:7: error: unknown command 'filein'\n"
			    "rules.sieve:9:1: warning: unused\n");
	assert_int_equal(d.errors, 1);
	str_free(&out);
	diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_execute),
	    cmocka_unit_test(test_diag),
	};

	log_set_stderr(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
