/*
 * pm-support.c - the procmailrc form of the support extension
 * (ackmail-rules(5), the twin of Sieve's vnd.ackmail in
 * lib/sieve/ext-ackmail.c).
 *
 * Facts: before the rc file runs, ACKMAIL_CLASS, ACKMAIL_ROBOT, ... are
 * assigned from support_facts(), so a recipe tests them with `VAR ??`.
 * Yes/no facts are "yes" or empty.
 *
 * Actions: an assignment the rc makes (pm_options.on_assign) to
 *   ACKMAIL=issue|newissue|noissue|acknowledge|notice  (several words:
 *                                  one operation each)
 *   ACKMAIL_STATE=state            op state
 *   ACKMAIL_TAG=word               op tag
 *   ACKMAIL_TICKET=regex           op ticket_rule, with the current
 *                                  ACKMAIL_TICKET_SYSTEM and (when not
 *                                  empty) ACKMAIL_TICKET_BODY
 * adds the same ACTION_SUPPORT operation as the Sieve command. The last
 * values the rc gives ACKMAIL_QUEUE, ACKMAIL_ISSUE (a number) go with
 * every issue operation of the run, ACKMAIL_ALWAYS (not empty: :always),
 * ACKMAIL_TEMPLATE with every acknowledge, ACKMAIL_NOTE, ACKMAIL_QUIET
 * (not empty: :quiet) with every state, ACKMAIL_LANGUAGE with both,
 * whether assigned before or after. A bad value is
 * a warning and no operation, as a Sieve run-time error of the same
 * command would be.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "match.h"
#include "pm-private.h"
#include "support.h"

enum late_arg {
	LATE_QUEUE,
	LATE_NUMBER,
	LATE_ALWAYS,
	LATE_TEMPLATE,
	LATE_LANG_ACK,
	LATE_LANG_STATE,
	LATE_NOTE,
	LATE_QUIET,
	LATE_N
};

/* The variables whose last value goes with an operation, as the Sieve
   command's tags (yes: a flag, "1" when the value is not empty). */
static const struct {
	const char *var, *arg, *op;
	bool yes;
} late_args[LATE_N] = {
    [LATE_QUEUE] = {"ACKMAIL_QUEUE", "queue", "issue", false},
    [LATE_NUMBER] = {"ACKMAIL_ISSUE", "number", "issue", false},
    [LATE_ALWAYS] = {"ACKMAIL_ALWAYS", "always", "acknowledge", true},
    [LATE_TEMPLATE] = {"ACKMAIL_TEMPLATE", "template", "acknowledge", false},
    [LATE_LANG_ACK] = {"ACKMAIL_LANGUAGE", "lang", "acknowledge", false},
    [LATE_LANG_STATE] = {"ACKMAIL_LANGUAGE", "lang", "state", false},
    [LATE_NOTE] = {"ACKMAIL_NOTE", "note", "state", false},
    [LATE_QUIET] = {"ACKMAIL_QUIET", "quiet", "state", true},
};

/* ACKMAIL=word -> operation (and a fixed argument). */
static const struct {
	const char *word, *op, *arg;
} ack_words[] = {
    {"issue", "issue", NULL},	  {"newissue", "issue", "new=1"},
    {"noissue", "noissue", NULL}, {"acknowledge", "acknowledge", NULL},
    {"ack", "acknowledge", NULL}, {"notice", "notice", NULL},
};

struct pm_support {
	const char *file;
	struct action **acts;
	size_t n, cap;
	char *late[LATE_N]; /* NULL: the rc did not assign it */
	struct strlist warnings;
	int *warning_lines;
};

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static void
fact(struct strlist *assigns, const char *name, const char *value)
{
	strlist_add_owned(assigns, xasprintf("%s=%s", name, nz(value)));
}

void
pm_support_facts(void *support, struct strlist *assigns)
{
	const struct support_facts *f =
	    support != NULL ? support_facts(support) : NULL;
	char num[24] = "";
	bool known;

	if (f == NULL)
		return;
	known = f->customer_id != 0;
	if (f->issue != 0)
		snprintf(num, sizeof(num), "%" PRId64, f->issue);
	fact(assigns, "ACKMAIL_CLASS", f->class_name);
	fact(assigns, "ACKMAIL_ROBOT", f->robot ? "yes" : "");
	fact(assigns, "ACKMAIL_STAFF", f->staff ? "yes" : "");
	fact(assigns, "ACKMAIL_TRACKING", f->tracking ? "yes" : "");
	fact(assigns, "ACKMAIL_DUPLICATE", f->duplicate ? "yes" : "");
	fact(assigns, "ACKMAIL_ISSUE", num);
	fact(assigns, "ACKMAIL_STATE",
	     f->issue != 0 ? store_issue_state_name(f->issue_state) : "");
	fact(assigns, "ACKMAIL_MATCH",
	     f->issue != 0 && f->match != SUPPORT_MATCH_NONE
		 ? support_match_name(f->match)
		 : "");
	fact(assigns, "ACKMAIL_REASON", f->match_reason);
	fact(assigns, "ACKMAIL_QUEUE", f->issue != 0 ? f->issue_queue : "");
	fact(assigns, "ACKMAIL_KNOWN", known ? "yes" : "");
	fact(assigns, "ACKMAIL_CUSTOMER", known ? f->customer_name : "");
	fact(assigns, "ACKMAIL_COMPANY", known ? f->customer_company : "");
	fact(assigns, "ACKMAIL_VIP", known && f->customer_vip ? "yes" : "");
	num[0] = '\0';
	if (f->notice != 0)
		snprintf(num, sizeof(num), "%" PRId64, f->notice);
	fact(assigns, "ACKMAIL_NOTICE", num);
}

struct pm_support *
pm_support_new(const char *file)
{
	struct pm_support *ps = xcalloc(1, sizeof(*ps));

	ps->file = file;
	return ps;
}

static struct action *
add_op(struct pm_support *ps, const char *op, int line)
{
	struct action *a = action_new(ACTION_SUPPORT);

	a->op = xstrdup(op);
	a->file = ps->file;
	a->line = line;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->acts = xreallocarray(ps->acts, ps->cap, sizeof(*ps->acts));
	}
	ps->acts[ps->n++] = a;
	return a;
}

/* Logs a bad value (m, freed) and keeps it for the diagnostics. */
static void
warn(struct pm_support *ps, int line, char *m)
{
	log_warnx("%s:%d: %s", ps->file, line, m);
	ps->warning_lines =
	    xreallocarray(ps->warning_lines, ps->warnings.n + 1, sizeof(int));
	ps->warning_lines[ps->warnings.n] = line;
	strlist_add_owned(&ps->warnings, m);
}

void
pm_support_on_assign(void *arg, struct pm_state *st, const char *name,
		     const char *value, int line)
{
	struct pm_support *ps = arg;
	const char *v = nz(value);

	if (strncmp(name, "ACKMAIL", 7) != 0)
		return;
	{
		bool late = false;

		for (int k = 0; k < LATE_N; k++)
			if (strcmp(name, late_args[k].var) == 0) {
				free(ps->late[k]);
				ps->late[k] = xstrdup(v);
				late = true;
			}
		if (late)
			return;
	}
	if (strcmp(name, "ACKMAIL") == 0) {
		struct strlist w = {0};

		strlist_split(&w, v, " \t\n,");
		for (size_t i = 0; i < w.n; i++) {
			size_t k = 0;

			while (k < sizeof(ack_words) / sizeof(ack_words[0]) &&
			       strcasecmp(w.v[i], ack_words[k].word) != 0)
				k++;
			if (k == sizeof(ack_words) / sizeof(ack_words[0])) {
				warn(ps, line,
				     xasprintf("ACKMAIL: expected issue, "
					       "newissue, noissue, acknowledge "
					       "or notice, not '%s'",
					       w.v[i]));
				continue;
			}
			{
				struct action *a =
				    add_op(ps, ack_words[k].op, line);

				if (ack_words[k].arg != NULL)
					strlist_add(&a->args, ack_words[k].arg);
			}
		}
		strlist_free(&w);
	} else if (strcmp(name, "ACKMAIL_STATE") == 0) {
		enum store_issue_state s;

		if (*v == '\0')
			return;
		if (store_issue_state_parse(v, &s) < 0) {
			warn(ps, line,
			     xasprintf("ACKMAIL_STATE: expected open, waiting, "
				       "resolved or closed, not '%s'",
				       v));
			return;
		}
		strlist_add_owned(&add_op(ps, "state", line)->args,
				  xasprintf("state=%s", v));
	} else if (strcmp(name, "ACKMAIL_TAG") == 0) {
		if (*v != '\0')
			strlist_add_owned(&add_op(ps, "tag", line)->args,
					  xasprintf("tag=%s", v));
	} else if (strcmp(name, "ACKMAIL_TICKET") == 0) {
		const char *sys = pm_getenv(st, "ACKMAIL_TICKET_SYSTEM");
		const char *body = pm_getenv(st, "ACKMAIL_TICKET_BODY");
		struct match_regex *re;
		char *error = NULL;
		struct action *a;

		if (*v == '\0')
			return;
		if (match_regex_compile(v, false, &re, &error) < 0) {
			warn(ps, line,
			     xasprintf("ACKMAIL_TICKET: bad pattern: %s",
				       nz(error)));
			free(error);
			return;
		}
		match_regex_free(&re);
		a = add_op(ps, "ticket_rule", line);
		if (sys != NULL && *sys != '\0')
			strlist_add_owned(&a->args,
					  xasprintf("system=%s", sys));
		strlist_add_owned(&a->args, xasprintf("pattern=%s", v));
		if (body != NULL && *body != '\0')
			strlist_add(&a->args, "body=1");
	}
}

int
pm_support_finish(struct pm_support **psp, struct result *result,
		  struct diag *diag)
{
	struct pm_support *ps = *psp;
	int n = 0;

	if (ps == NULL)
		return 0;
	for (size_t i = 0; i < ps->n; i++) {
		struct action *a = ps->acts[i];

		for (int k = 0; k < LATE_N; k++)
			if (ps->late[k] != NULL && *ps->late[k] != '\0' &&
			    strcmp(a->op, late_args[k].op) == 0)
				strlist_add_owned(
				    &a->args,
				    xasprintf("%s=%s", late_args[k].arg,
					      late_args[k].yes ? "1"
							       : ps->late[k]));
		result_add(result, a);
		n++;
	}
	for (size_t i = 0; i < ps->warnings.n; i++)
		diag_add(diag, DIAG_WARNING, ps->file, ps->warning_lines[i], 0,
			 "%s", ps->warnings.v[i]);
	for (int k = 0; k < LATE_N; k++)
		free(ps->late[k]);
	strlist_free(&ps->warnings);
	free(ps->warning_lines);
	free(ps->acts);
	free(ps);
	*psp = NULL;
	return n;
}
