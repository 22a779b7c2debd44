/*
 * pm-lang.c - procmailrc as a struct rule_lang, for `ackmail deliver -r`
 * and `ackmail check`.
 *
 * Mapping: procmail delivers as it goes, so run() carries out the
 * deliveries itself, in order, exactly as `ackmail procmail` does, and
 * then cancels the implicit keep: the result holds no store/pipe/
 * redirect actions for the caller to execute a second time. In a dry
 * run (env->dry_run: `ackmail check`, `deliver -n`) nothing is
 * delivered and each action that would have been done is recorded
 * instead: a folder as ACTION_STORE (.folder for Maildir-style names
 * ending in '/', .mbox for files), a pipe as ACTION_PIPE, forwarding as
 * ACTION_REDIRECT; the c flag sets .copy. DEFAULT (the falling-off-the-
 * end delivery) is env->maildir when given. When procmail would bounce
 * (73) or requeue (75), run() returns -1 and the implicit keep stays,
 * so the caller stores the message in its default mailbox.
 *
 * Support: the facts are assigned as ACKMAIL_* variables before the rc
 * runs and the rc's ACKMAIL_* assignments become ACTION_SUPPORT actions
 * (pm-support.c); a pipe to "ackmail support OP k=v ..." is recorded as
 * ACTION_SUPPORT too, op = the first word after "support".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "pm-private.h"

struct rule_program {
	char *path;
	/* the file as compiled and lowered, for `check --ir` (a run reads
	   the file again, as procmail does, and lowers it the same way) */
	struct pm_rc *rc;
	struct ir_program *ir;
};

static int
lang_detect(const char *text, size_t len)
{
	return pm_detect(text, len);
}

static int
lang_compile(const char *path, const struct config *config,
	     struct rule_program **prog_r, struct diag *diag)
{
	char *buf;
	size_t len;
	struct pm_rc *rc = NULL;
	int r;

	(void)config;
	if (path_read_file(path, 16u << 20, &buf, &len) < 0) {
		diag_add(diag, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		return -1;
	}
	r = pm_parse(path, buf, len, &rc, diag);
	free(buf);
	if (r < 0) {
		pm_rc_free(&rc);
		return -1;
	}
	*prog_r = xcalloc(1, sizeof(**prog_r));
	(*prog_r)->rc = rc;
	(*prog_r)->ir = pm_lower(path, rc->nodes);
	{
		/* absolute: the run changes directory to MAILDIR first */
		char *abs = realpath(path, NULL);

		(*prog_r)->path = abs != NULL ? abs : xstrdup(path);
	}
	return 0;
}

static void
add_support(struct result *result, const char *cmd, int line)
{
	struct strlist w = {0};
	struct action *a = action_new(ACTION_SUPPORT);

	strlist_split(&w, cmd, " \t");
	for (size_t i = 2; i < w.n; i++) {
		if (i == 2)
			a->op = xstrdup(w.v[i]);
		else
			strlist_add(&a->args, w.v[i]);
	}
	a->line = line;
	strlist_free(&w);
	result_add(result, a);
}

static int
lang_run(struct rule_program *prog, struct rule_env *env, struct result *result,
	 struct diag *diag)
{
	/* deliver -r keeps the environment, as procmail -p */
	struct pm_options opt = {
	    .mailfilter = true, .pretend_exit = true, .dry_run = env->dry_run};
	char *rcs[2] = {prog->path, NULL};
	struct strlist assigns = {0};
	struct pm_support *ps = pm_support_new(prog->path);
	struct pm_done *done = NULL;
	size_t ndone = 0, len;
	struct str errors = STR_INIT;
	const char *raw = msg_raw(env->msg, &len);
	int code;

	if (env->maildir != NULL)
		strlist_add_owned(&assigns,
				  xasprintf("DEFAULT=%s/", env->maildir));
	/* the support facts, and ACKMAIL_* assignments as support
	   actions (pm-support.c) */
	pm_support_facts(env->support, &assigns);
	opt.on_assign = pm_support_on_assign;
	opt.on_assign_arg = ps;
	code =
	    pm_run(&opt, assigns.v, rcs, 1, raw, len, &done, &ndone, &errors);
	strlist_free(&assigns);
	pm_support_finish(&ps, result, diag);
	for (size_t i = 0; i < ndone; i++) {
		struct action *a;
		const char *t = done[i].target;

		if (done[i].kind == PM_ACT_PIPE)
			t += strspn(t, " \t");

		if (done[i].kind == PM_ACT_PIPE &&
		    strncmp(t, "ackmail support", 15) == 0) {
			add_support(result, t, done[i].line);
			continue;
		}
		if (!env->dry_run) {
			/* already delivered by the run itself */
			if (!done[i].copy)
				result_cancel_implicit_keep(result);
			continue;
		}
		switch (done[i].kind) {
		case PM_ACT_PIPE:
			a = action_new(ACTION_PIPE);
			a->command = xstrdup(t);
			a->command_shell = true;
			break;
		case PM_ACT_FORWARD:
			a = action_new(ACTION_REDIRECT);
			a->address = xstrdup(t);
			break;
		default:
			a = action_new(ACTION_STORE);
			if (t[strlen(t) - 1] == '/' || strstr(t, "/new/"))
				a->folder = xstrdup(t);
			else
				a->mbox = xstrdup(t);
			break;
		}
		a->copy = done[i].copy;
		a->line = done[i].line;
		a->file = NULL;
		/* procmail delivers as often as the rc says (a c clone
		   and its parent to the same folder: twice) */
		result_append(result, a);
		if (!done[i].copy)
			result_cancel_implicit_keep(result);
	}
	if (errors.len > 0)
		diag_add(diag, DIAG_WARNING, prog->path, 0, 0, "%s",
			 str_c(&errors));
	pm_done_free(done, ndone);
	str_free(&errors);
	return code == 0 ? 0 : -1;
}

static void
lang_free(struct rule_program **prog)
{
	if (*prog == NULL)
		return;
	free((*prog)->path);
	ir_program_free(&(*prog)->ir);
	pm_rc_free(&(*prog)->rc);
	free(*prog);
	*prog = NULL;
}

static const struct ir_program *
lang_ir(const struct rule_program *prog)
{
	return prog->ir;
}

const struct rule_lang procmail_lang = {
    .name = "procmail",
    .detect = lang_detect,
    .compile = lang_compile,
    .run = lang_run,
    .free = lang_free,
    .ir = lang_ir,
};
