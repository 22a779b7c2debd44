/*
 * ext-testsuite.c - the vnd.dovecot.testsuite extension and the runner
 * of .svtest files (sieve_testsuite_run): test blocks, test_fail,
 * test_set, test_result_execute/_action/_reset, test_message,
 * test_mailbox_create, test_script_compile/_run, test_error and
 * test_config_set. Executing a result here simulates delivery: stored
 * messages go to in-memory folders, redirects and vacation replies to an
 * in-memory SMTP outbox that test_message can open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

struct ts_mail {
	char *folder; /* NULL: sent by SMTP */
	char *text;
	char *from, *to;
};

struct sieve_testsuite {
	const char *path;
	char *dir;
	struct config *config;
	struct msg *msg; /* the message under test */
	char *env_from, *env_to;
	struct result *result;
	struct sieve_run *run; /* the run of the .svtest file */
	struct ts_mail *mails;
	size_t nmails;
	struct strlist mailboxes;
	struct sieve_script *compiled;
	struct strlist errors; /* of the last compile or run */
	struct sieve_vacation_store *vstore;
	/* the current test block */
	bool in_test, failed;
	char *fail_reason;
	struct str *out;
	struct sieve_testsuite_stats *stats;
};

int sieve_testsuite_mailbox_exists(struct sieve_testsuite *ts,
				   const char *folder);

int
sieve_testsuite_mailbox_exists(struct sieve_testsuite *ts, const char *folder)
{
	for (size_t i = 0; i < ts->mailboxes.n; i++)
		if (strcmp(ts->mailboxes.v[i], folder) == 0)
			return 1;
	for (size_t i = 0; i < ts->nmails; i++)
		if (ts->mails[i].folder != NULL &&
		    strcmp(ts->mails[i].folder, folder) == 0)
			return 1;
	return 0;
}

void sieve_hdrs_reset(struct sieve_run *run);

static void
ts_set_message(struct sieve_testsuite *ts, const char *text, size_t len)
{
	sieve_hdrs_reset(ts->run);
	/* the result's edited header refers to the old message */
	result_set_header_edit(ts->result, NULL);
	msg_free(&ts->msg);
	ts->msg = msg_new_copy(text, len);
	msg_set_envelope(ts->msg, ts->env_from, ts->env_to);
	ts->run->msg = ts->msg;
	if (ts->run->env != NULL)
		ts->run->env->msg = ts->msg;
}

static void
ts_add_mail(struct sieve_testsuite *ts, const char *folder, char *text,
	    const char *from, const char *to)
{
	ts->mails =
	    xreallocarray(ts->mails, ts->nmails + 1, sizeof(*ts->mails));
	ts->mails[ts->nmails].folder = folder != NULL ? xstrdup(folder) : NULL;
	ts->mails[ts->nmails].text = text;
	ts->mails[ts->nmails].from = from != NULL ? xstrdup(from) : NULL;
	ts->mails[ts->nmails].to = to != NULL ? xstrdup(to) : NULL;
	ts->nmails++;
}

static void ts_fail(struct sieve_testsuite *ts, const char *fmt, ...)
    ATTR_PRINTF(2, 3);

static void
ts_fail(struct sieve_testsuite *ts, const char *fmt, ...)
{
	va_list ap;

	if (ts->failed)
		return;
	ts->failed = true;
	va_start(ap, fmt);
	ts->fail_reason = xvasprintf(fmt, ap);
	va_end(ap);
}

static struct sieve_testsuite *
TS(struct sieve_run *run)
{
	return run->ts;
}

/* ---- test "name" { ... } ---- */

static int
test_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	int errors = run->diag->errors;
	int r;

	ts->in_test = true;
	ts->failed = false;
	xfree(ts->fail_reason);
	result_reset(ts->result);
	run->has_reject = run->has_store = run->has_redirect = false;
	run->has_vacation = run->has_discard = false;
	run->redirects = 0;
	strlist_free(&run->flags);
	r = sieve_run_ir(run, n->cmd.sub); /* 1: test_fail or stop */
	if (r < 0 && !ts->failed)
		ts_fail(ts, "runtime error: %s",
			run->diag->n > 0 ? run->diag->v[run->diag->n - 1].text
					 : "unknown");
	(void)errors;
	if (ts->failed) {
		str_printf(ts->out, "test %s: FAIL (%s)\n", name,
			   ts->fail_reason);
		ts->stats->failed++;
	} else {
		str_printf(ts->out, "test %s: PASS\n", name);
		ts->stats->passed++;
	}
	ts->in_test = false;
	free(name);
	return 0; /* a failed test does not stop the file */
}

static const struct sieve_cmd_def test = {
    .name = "test",
    .kind = DEF_COMMAND,
    .pos = "S",
    .block = 1,
    .exec = test_exec,
};

static int
test_fail_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *why = sieve_expand(run, &n->cmd.pos[0]->strs[0]);

	ts_fail(TS(run), "%s", why);
	free(why);
	return 1; /* ends the test block */
}

static const struct sieve_cmd_def test_fail = {
    .name = "test_fail",
    .kind = DEF_COMMAND,
    .pos = "S",
    .exec = test_fail_exec,
};

/* ---- test_set, test_config_set ---- */

static int
test_set_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	char *what = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *val = sieve_expand(run, &n->cmd.pos[1]->strs[0]);

	if (strcasecmp(what, "message") == 0) {
		ts_set_message(ts, val, strlen(val));
	} else if (strcasecmp(what, "envelope.from") == 0) {
		free(ts->env_from);
		ts->env_from = xstrdup(val);
		msg_set_envelope(ts->msg, ts->env_from, ts->env_to);
	} else if (strcasecmp(what, "envelope.to") == 0 ||
		   strcasecmp(what, "envelope.orig_to") == 0) {
		free(ts->env_to);
		ts->env_to = xstrdup(val);
		msg_set_envelope(ts->msg, ts->env_from, ts->env_to);
	} else if (strcasecmp(what, "envelope.auth") != 0) {
		sieve_runtime_error(run, n, "test_set: unknown item '%s'",
				    what);
		free(what);
		free(val);
		return -1;
	}
	free(what);
	free(val);
	return 0;
}

static const struct sieve_cmd_def test_set = {
    .name = "test_set",
    .kind = DEF_COMMAND,
    .pos = "SS",
    .exec = test_set_exec,
};

/* Pigeonhole setting names to ackmail's [sieve] keys. */
static const struct {
	const char *from, *to;
} config_names[] = {
    {"sieve_vacation_min_period", "vacation_min_period"},
    {"sieve_vacation_max_period", "vacation_max_period"},
    {"sieve_vacation_default_period", "vacation_default_period"},
    {"recipient_delimiter", "subaddress_delimiter"},
    {"sieve_subaddress_sep", "subaddress_delimiter"},
    {"sieve_max_redirects", "max_redirects"},
    {"lda_mailbox_autocreate", "mailbox_autocreate"},
    {"sieve_duplicate_default_period", "duplicate_default_period"},
    {"sieve_duplicate_max_period", "duplicate_max_period"},
    {"sieve_editheader_protected", "editheader_protected"},
    {"sieve_editheader_forbid_add", "editheader_forbid_add"},
    {"sieve_editheader_forbid_delete", "editheader_forbid_delete"},
    {"sieve_editheader_max_header_size", "editheader_max_header_size"},
};

static int
test_config_set_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	char *key = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *val = sieve_expand(run, &n->cmd.pos[1]->strs[0]);
	const char *k = key;

	for (size_t i = 0; i < N_ELEMENTS(config_names); i++)
		if (strcasecmp(key, config_names[i].from) == 0)
			k = config_names[i].to;
	config_set(ts->config, "sieve", NULL, k, val);
	free(key);
	free(val);
	return 0;
}

static const struct sieve_cmd_def test_config_set = {
    .name = "test_config_set",
    .kind = DEF_COMMAND,
    .pos = "SS",
    .exec = test_config_set_exec,
};

/* ---- results ---- */

/* The text of a message (without a From_ line). */
static char *
message_text(const struct msg *msg)
{
	size_t len;
	const char *d = msg_data(msg, &len);

	return xstrndup(d, len);
}

static int
test_result_execute_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	struct result *r = ts->result;
	bool keep = result_implicit_keep(r), failed = false;
	const struct msg *edited;

	if (sieve_run_finish(run) < 0) {
		result_reset(r);
		keep = true;
	}
	for (size_t i = 0; i < result_count(r); i++) {
		struct action *a = result_at(r, i);
		const char *reason;

		switch (a->kind) {
		case ACTION_STORE:
			if (a->folder != NULL &&
			    strcasecmp(a->folder, "INBOX") != 0 &&
			    a->need_folder &&
			    !sieve_testsuite_mailbox_exists(ts, a->folder)) {
				/* a missing folder: the message falls back
				   to the implicit keep, as received */
				keep = true;
				failed = true;
				break;
			}
			ts_add_mail(ts, a->folder != NULL ? a->folder : "INBOX",
				    message_text(action_msg(a, ts->msg)),
				    ts->env_from, ts->env_to);
			break;
		case ACTION_REDIRECT:
			ts_add_mail(ts, NULL,
				    message_text(action_msg(a, ts->msg)),
				    ts->env_to, a->address);
			break;
		case ACTION_VACATION:
			if (sieve_vacation_decide(ts->msg, a, ts->env_to,
						  ts->vstore, &reason) > 0)
				ts_add_mail(ts, NULL,
					    sieve_vacation_reply(ts->msg, a,
								 ts->env_to),
					    "", a->vac_to);
			break;
		default:
			break;
		}
	}
	/* the implicit keep stores the message with every edit; after a
	   failure, the message as received */
	edited = failed ? NULL : result_edited_msg(r);
	if (keep)
		ts_add_mail(ts, "INBOX",
			    message_text(edited != NULL ? edited : ts->msg),
			    ts->env_from, ts->env_to);
	/* duplicate ids are recorded once the result was carried out */
	for (size_t i = 0;
	     !failed && ts->vstore != NULL && i < result_mark_count(r); i++) {
		struct action *m = result_mark_at(r, i);

		if (m->kind == ACTION_DUPLICATE_MARK)
			ts->vstore->duplicate_record(ts->vstore->ctx, m->dup_id,
						     clock_now(),
						     m->dup_seconds);
	}
	return 1;
}

static const struct sieve_cmd_def test_result_execute = {
    .name = "test_result_execute",
    .kind = DEF_TEST,
    .pos = "",
    .test = test_result_execute_test,
};

static void
ts_mails_free(struct sieve_testsuite *ts)
{
	for (size_t i = 0; i < ts->nmails; i++) {
		free(ts->mails[i].folder);
		free(ts->mails[i].text);
		free(ts->mails[i].from);
		free(ts->mails[i].to);
	}
	ts->nmails = 0;
}

static int
test_result_reset_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);

	result_reset(ts->result);
	run->has_reject = run->has_store = run->has_redirect = false;
	run->has_vacation = run->has_discard = false;
	run->redirects = 0;
	ts_mails_free(ts);
	return 0;
}

static const struct sieve_cmd_def test_result_reset = {
    .name = "test_result_reset",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = test_result_reset_exec,
};

static const struct sieve_tag_def index_tag_table[] = {
    {"index", NULL, SLOT_INDEX, 'N', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const action_tags[] = {
    index_tag_table, sieve_tags_match, NULL};

static int
match_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, n->cmd.npos - 1);
}

/* test_result_action [:index N] [MATCH] names: the names of the
   collected actions ("store", "keep", "redirect", "discard", ...). */
static int
test_result_action_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	struct strlist vals = {0};
	size_t cnt = result_count(ts->result);
	int r;

	for (size_t i = 0; i < cnt; i++) {
		struct action *a = result_at(ts->result, i);

		if (n->cmd.has[SLOT_INDEX] &&
		    n->cmd.tag[SLOT_INDEX]->number != i + 1)
			continue;
		if (a->kind == ACTION_STORE &&
		    (a->folder == NULL || strcasecmp(a->folder, "INBOX") == 0))
			strlist_add(&vals, "keep");
		else
			strlist_add(&vals, action_kind_name(a->kind));
	}
	r = sieve_match_values(run, n, &vals, 0);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def test_result_action = {
    .name = "test_result_action",
    .kind = DEF_TEST,
    .pos = "L",
    .tags = action_tags,
    .validate = match_validate,
    .test = test_result_action_test,
};

/* ---- test_message :folder NAME N / :smtp N ---- */

static const struct sieve_tag_def message_tag_table[] = {
    {"folder", NULL, SLOT_FOLDER, 'S', 0},
    {"smtp", NULL, SLOT_SMTP, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const message_tags[] = {message_tag_table,
							   NULL};

static int
test_message_do(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	char *folder = NULL;
	uint64_t want = n->cmd.pos[0]->number, seen = 0;

	if (n->cmd.has[SLOT_FOLDER])
		folder = sieve_expand(run, &n->cmd.tag[SLOT_FOLDER]->strs[0]);
	for (size_t i = 0; i < ts->nmails; i++) {
		struct ts_mail *m = &ts->mails[i];

		if (folder != NULL
			? (m->folder == NULL || strcmp(m->folder, folder) != 0)
			: m->folder != NULL)
			continue;
		if (seen++ != want)
			continue;
		free(ts->env_from);
		free(ts->env_to);
		ts->env_from = m->from != NULL ? xstrdup(m->from) : NULL;
		ts->env_to = m->to != NULL ? xstrdup(m->to) : NULL;
		ts_set_message(ts, m->text, strlen(m->text));
		free(folder);
		return 1;
	}
	free(folder);
	return 0;
}

static int
test_message_exec(struct sieve_run *run, struct sieve_node *n)
{
	if (test_message_do(run, n) <= 0)
		return sieve_runtime_error(run, n,
					   "test_message: no such message");
	return 0;
}

static int
test_message_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_FOLDER] == n->cmd.has[SLOT_SMTP]) {
		sieve_error(v, n, "test_message needs :folder or :smtp");
		return -1;
	}
	return 0;
}

static const struct sieve_cmd_def test_message = {
    .name = "test_message",
    .kind = DEF_COMMAND,
    .pos = "N",
    .tags = message_tags,
    .validate = test_message_validate,
    .exec = test_message_exec,
};

static const struct sieve_cmd_def test_message_test = {
    .name = "test_message",
    .kind = DEF_TEST,
    .pos = "N",
    .tags = message_tags,
    .validate = test_message_validate,
    .test = test_message_do,
};

static int
test_mailbox_create_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist l = {0};

	sieve_expand_list(run, n->cmd.pos[0], &l);
	for (size_t i = 0; i < l.n; i++)
		strlist_add(&TS(run)->mailboxes, l.v[i]);
	strlist_free(&l);
	return 0;
}

static const struct sieve_cmd_def test_mailbox_create = {
    .name = "test_mailbox_create",
    .kind = DEF_COMMAND,
    .pos = "L",
    .exec = test_mailbox_create_exec,
};

/* ---- scripts under test ---- */

static void
collect_errors(struct sieve_testsuite *ts, const struct diag *d)
{
	strlist_free(&ts->errors);
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR)
			strlist_add(&ts->errors, d->v[i].text);
}

static int
test_script_compile_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *path =
	    name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", ts->dir, name);
	struct diag d = {0};
	int r;

	sieve_script_free(&ts->compiled);
	r = sieve_load(path, ts->config, false, 0, &ts->compiled, &d);
	collect_errors(ts, &d);
	if (r < 0)
		sieve_script_free(&ts->compiled);
	diag_free(&d);
	free(path);
	free(name);
	return r == 0;
}

static const struct sieve_cmd_def test_script_compile = {
    .name = "test_script_compile",
    .kind = DEF_TEST,
    .pos = "S",
    .test = test_script_compile_test,
};

static int
test_script_run_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	struct sieve_vars vars = {0}, *saved = run->vars;
	struct diag d = {0}, *saved_diag = run->diag;
	int r;

	if (ts->compiled == NULL)
		return 0;
	/* each run of a script under test starts afresh */
	strlist_free(run->once_included);
	sieve_vars_free(run->globals);
	run->vars = &vars;
	run->diag = &d;
	r = sieve_run_script(run, ts->compiled);
	run->vars = saved;
	run->diag = saved_diag;
	collect_errors(ts, &d);
	diag_free(&d);
	sieve_vars_free(&vars);
	if (r < 0) {
		result_reset(ts->result);
		return 0;
	}
	return 1;
}

static const struct sieve_cmd_def test_script_run = {
    .name = "test_script_run",
    .kind = DEF_TEST,
    .pos = "",
    .test = test_script_run_test,
};

static const struct sieve_tag_def error_tag_table[] = {
    {"index", NULL, SLOT_INDEX, 'N', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const error_tags[] = {
    error_tag_table, sieve_tags_match, NULL};

static int
test_error_test(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_testsuite *ts = TS(run);
	struct strlist vals = {0};
	int r;

	for (size_t i = 0; i < ts->errors.n; i++)
		if (!n->cmd.has[SLOT_INDEX] ||
		    n->cmd.tag[SLOT_INDEX]->number == i + 1)
			strlist_add(&vals, ts->errors.v[i]);
	r = sieve_match_values(run, n, &vals, 0);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def test_error = {
    .name = "test_error",
    .kind = DEF_TEST,
    .pos = "L",
    .tags = error_tags,
    .validate = match_validate,
    .test = test_error_test,
};

static const struct sieve_cmd_def *const defs[] = {
    &test,
    &test_fail,
    &test_set,
    &test_config_set,
    &test_result_execute,
    &test_result_reset,
    &test_result_action,
    &test_message,
    &test_message_test,
    &test_mailbox_create,
    &test_script_compile,
    &test_script_run,
    &test_error,
    NULL,
};

const struct sieve_extension sieve_ext_testsuite = {
    .name = "vnd.dovecot.testsuite",
    .defs = defs,
    .testsuite_only = true,
};

/* ---- the runner ---- */

void sieve_run_init(struct sieve_run *run, struct sieve_program *p,
		    struct rule_env *env, struct result *result,
		    struct diag *diag);
void sieve_run_deinit(struct sieve_run *run);

static const char default_message[] = "From: sender@example.com\n"
				      "To: recipient@example.com\n"
				      "Subject: test\n\n"
				      "Test message.\n";

int
sieve_testsuite_run(const char *path, struct str *out,
		    struct sieve_testsuite_stats *stats)
{
	struct sieve_testsuite ts;
	struct sieve_program prog = {0};
	struct rule_env env = {0};
	struct sieve_run run;
	struct diag diag = {0};
	const char *slash = strrchr(path, '/');
	int before = stats->failed;
	int r;

	memset(&ts, 0, sizeof(ts));
	ts.path = path;
	ts.dir = slash != NULL ? xstrndup(path, (size_t)(slash - path))
			       : xstrdup(".");
	ts.config = config_new_empty();
	ts.out = out;
	ts.stats = stats;
	ts.vstore = sieve_memstore_new();
	ts.env_from = xstrdup("sender@example.com");
	ts.env_to = xstrdup("recipient@example.com");
	if (sieve_load(path, ts.config, true, 0, &prog.script, &diag) < 0) {
		diag_format(&diag, out);
		str_printf(out, "%s: FAIL (the test file does not compile)\n",
			   path);
		stats->failed++;
		diag_free(&diag);
		sieve_script_free(&prog.script);
		goto done;
	}
	prog.config = ts.config;
	ts.msg = msg_new_copy(default_message, sizeof(default_message) - 1);
	msg_set_envelope(ts.msg, ts.env_from, ts.env_to);
	env.msg = ts.msg;
	env.config = ts.config;
	ts.result = result_new();
	sieve_run_init(&run, &prog, &env, ts.result, &diag);
	run.ts = &ts;
	run.vstore = ts.vstore;
	ts.run = &run;
	r = sieve_run_ir(&run, prog.script->ir);
	if (r < 0) {
		diag_format(&diag, out);
		str_printf(out, "%s: FAIL (runtime error outside a test)\n",
			   path);
		stats->failed++;
	}
	sieve_run_deinit(&run);
	diag_free(&diag);
	sieve_script_free(&prog.script);
	result_free(&ts.result);
done:
	ts_mails_free(&ts);
	free(ts.mails);
	msg_free(&ts.msg);
	strlist_free(&ts.mailboxes);
	strlist_free(&ts.errors);
	sieve_script_free(&ts.compiled);
	sieve_memstore_free(&ts.vstore);
	config_free(&ts.config);
	free(ts.env_from);
	free(ts.env_to);
	free(ts.fail_reason);
	free(ts.dir);
	return stats->failed > before ? -1 : 0;
}
