/*
 * test-engine.c - lib/engine: duplicate merging, the implicit keep, JSON,
 * and transactional execution with rollback and the fallback keep.
 */
#include "unit.h"
#include "engine.h"
#include "msg.h"

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
	    {"B", NULL, 0, true, OUTCOME_OK, "P(A)P(B)R(A)R(B)P(keep)C(keep)"},
	    /* a failed commit undoes the rest and keeps the message */
	    {NULL, "A", 0, true, OUTCOME_OK, "P(A)P(B)C(A)R(B)P(keep)C(keep)"},
	    /* even the keep fails: KEEP_FAILED (exit 75) */
	    {"A", NULL, 1, true, OUTCOME_KEEP_FAILED, "P(A)R(A)P(keep)R(keep)"},
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

/* editheader: untouched fields keep their bytes, edits land where they
   should, line endings follow the message. */
static void
test_header_edit(void **state)
{
	static const struct {
		const char *in;
		const char *ops; /* +Name=value (top), >Name=value (last),
				    -N (delete field N) */
		const char *want;
	} rows[] = {
	    /* no edit at all: byte for byte */
	    {"From x  Mon Nov 23 09:00:00 2026\nSubject: a\n\tfolded\n"
	     "To: b\n\nbody\n",
	     "", "Subject: a\n\tfolded\nTo: b\n\nbody\n"},
	    {"Subject: a\n\tfolded\nTo: b\n\nbody\n", "+X-A=1",
	     "X-A: 1\nSubject: a\n\tfolded\nTo: b\n\nbody\n"},
	    {"Subject: a\nTo: b\n\nbody\n", ">X-A=1",
	     "Subject: a\nTo: b\nX-A: 1\n\nbody\n"},
	    {"Subject: a\n\tfolded\nTo: b\n\nbody\n", "-0", "To: b\n\nbody\n"},
	    {"Subject: a\r\nTo: b\r\n\r\nbody\r\n", ">X-A=1",
	     "Subject: a\r\nTo: b\r\nX-A: 1\r\n\r\nbody\r\n"},
	    /* a header without body or empty line */
	    {"Subject: a\nTo: b", ">X-A=1", "Subject: a\nTo: b\nX-A: 1\n\n"},
	    /* 8-bit text is encoded */
	    {"Subject: a\n\nb\n", "+C=gro\xc3\x9f",
	     "C: =?utf-8?b?Z3Jvw58=?=\nSubject: a\n\nb\n"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy(rows[i].in, strlen(rows[i].in));
		struct header_edit *he = header_edit_new(m);
		struct msg *out;
		const char *d;
		size_t len;
		char *got;

		if (rows[i].ops[0] == '+' || rows[i].ops[0] == '>') {
			char *nv = xstrdup(rows[i].ops + 1);
			char *eq = strchr(nv, '=');

			*eq = '\0';
			header_edit_add(he, nv, eq + 1, rows[i].ops[0] == '>');
			free(nv);
		} else if (rows[i].ops[0] == '-') {
			header_edit_delete(he, (size_t)atoi(rows[i].ops + 1));
		}
		assert_row_int(i, header_edit_changes(he) > 0,
			       rows[i].ops[0] != '\0');
		out = header_edit_message(he);
		d = msg_data(out, &len);
		got = xstrndup(d, len);
		assert_row_str(i, got, rows[i].want);
		free(got);
		msg_free(&out);
		header_edit_free(&he);
		msg_free(&m);
	}
}

/* Each action carries the message as edited when it was added; the
   implicit keep the message with every edit; marks run only when the
   delivery went as the rules said. */
static struct str seen_subjects;

static int
record_commit(struct action *a, struct exec_ctx *ctx, enum outcome *o,
	      const char **e)
{
	char *x = msg_header_get(action_msg(a, ctx->msg), "x-edit", false);

	(void)o;
	(void)e;
	str_printf(&seen_subjects, "[%s:%s]",
		   a->kind == ACTION_DUPLICATE_MARK ? "mark" : name_of(a),
		   x != NULL ? x : "-");
	free(x);
	if (a->folder != NULL && fail_commit_folder != NULL &&
	    strcmp(a->folder, fail_commit_folder) == 0) {
		*o = OUTCOME_TEMPFAIL;
		*e = "injected";
		return -1;
	}
	return 0;
}

static const struct action_def recorder = {
    .name = "recorder",
    .commit = record_commit,
};
static const struct action_def *const rec_defs[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = &recorder,
    [ACTION_DUPLICATE_MARK] = &recorder,
};

static void
test_snapshots(void **state)
{
	static const struct {
		const char *fail;
		const char *want;
	} rows[] = {
	    {NULL, "[A:-][B:1][keep:1,2][mark:-]"},
	    /* B fails: fallback keep of the message as received, no mark */
	    {"B", "[A:-][B:1][keep:-]"},
	};
	static const char text[] = "Subject: s\n\nbody\n";

	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy(text, sizeof(text) - 1);
		struct result *r = result_new();
		struct header_edit *he = header_edit_new(m);
		struct exec_ctx ctx;
		struct action *mark = action_new(ACTION_DUPLICATE_MARK);

		result_set_header_edit(r, he);
		result_add(r, fileinto("A", NULL, true));
		header_edit_add(he, "X-Edit", "1", false);
		result_add(r, fileinto("B", NULL, true));
		/* a second header of the same name: the keep sees both */
		header_edit_delete(he, 0);
		header_edit_add(he, "X-Edit", "1,2", false);
		mark->dup_id = xstrdup("id");
		result_add_mark(r, mark);
		assert_row_int(i, result_count(r), 2);
		exec_ctx_init(&ctx);
		ctx.msg = m;
		str_truncate(&seen_subjects, 0);
		fail_commit_folder = rows[i].fail;
		result_execute(r, &ctx, rec_defs);
		assert_row_str(i, str_c(&seen_subjects), rows[i].want);
		exec_ctx_deinit(&ctx);
		result_free(&r);
		msg_free(&m);
	}
	fail_commit_folder = NULL;
	str_free(&seen_subjects);
}

/* vacation_decide: the reply-or-not rules, and one reply per sender
   and period through the records. */
static int mem_replied;

static int
mem_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	(void)ctx;
	(void)sender;
	(void)handle;
	(void)since;
	return mem_replied > 0;
}

static int
mem_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	(void)ctx;
	(void)sender;
	(void)handle;
	(void)now;
	mem_replied++;
	return 0;
}

static void
test_vacation_decide(void **state)
{
	static const struct {
		const char *from, *headers;
		int want;
	} rows[] = {
	    {"cust@example.net", "To: me@example.org\n", 1},
	    {"", "To: me@example.org\n", 0},
	    {"MAILER-DAEMON@example.net", "To: me@example.org\n", 0},
	    {"owner-list@example.net", "To: me@example.org\n", 0},
	    {"cust@example.net",
	     "To: me@example.org\nAuto-Submitted: "
	     "auto-replied\n",
	     0},
	    {"cust@example.net", "To: me@example.org\nAuto-Submitted: no\n", 1},
	    {"cust@example.net", "To: me@example.org\nList-Id: <l.x>\n", 0},
	    {"cust@example.net", "To: me@example.org\nPrecedence: bulk\n", 0},
	    {"cust@example.net", "To: other@example.org\n", 0},
	    {"cust@example.net", "Cc: Me <ME@example.org>\n", 1},
	    {"me@example.org", "To: me@example.org\n", 0},
	};
	struct vacation_records rec = {mem_seen, mem_record, NULL};

	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *text = xasprintf("From: x <%s>\n%sSubject: s\n\nb\n",
				       rows[i].from, rows[i].headers);
		struct msg *m = msg_new_copy(text, strlen(text));
		struct action *a = action_new(ACTION_VACATION);
		const char *reason;

		a->vac_seconds = 86400;
		msg_set_envelope(m, rows[i].from, "me@example.org");
		mem_replied = 0;
		assert_row_int(
		    i, vacation_decide(m, a, "me@example.org", &rec, &reason),
		    rows[i].want);
		if (rows[i].want == 1) {
			/* the second message in the period gets none */
			assert_row_int(i,
				       vacation_decide(m, a, "me@example.org",
						       &rec, &reason),
				       0);
			assert_row_int(i, mem_replied, 1);
		}
		action_free(&a);
		msg_free(&m);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_execute),
	    cmocka_unit_test(test_diag),
	    cmocka_unit_test(test_header_edit),
	    cmocka_unit_test(test_snapshots),
	    cmocka_unit_test(test_vacation_decide),
	};

	log_set_stderr(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
