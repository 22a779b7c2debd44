/*
 * ext-ackmail.c - the vnd.ackmail extension (ackmail-rules(5)): tests and
 * ${ackmail.*} variables over the facts the support core computed before
 * the rules ran (support_facts(env->support)), and actions that add
 * ACTION_SUPPORT operations for support_apply(). Without a support
 * context every test is false and every variable empty; the actions are
 * still collected (and ignored by the pipeline). Support actions never
 * cancel the implicit keep.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"
#include "support.h"

enum ack_cust { CUST_KNOWN = 1, CUST_VIP, CUST_NAME, CUST_COMPANY };

static const struct support_facts *
facts_of(const struct sieve_run *run)
{
	if (run->env == NULL || run->env->support == NULL)
		return NULL;
	return support_facts(run->env->support);
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- variables ---- */

const char *
sieve_ackmail_var(struct sieve_run *run, const char *name, size_t len)
{
	const struct support_facts *f = facts_of(run);

#define IS(word) (len == strlen(word) && strncasecmp(name, word, len) == 0)
	if (f == NULL)
		return "";
	if (IS("class"))
		return nz(f->class_name);
	if (IS("issue")) {
		if (f->issue == 0)
			return "";
		snprintf(run->ackmail_num, sizeof(run->ackmail_num), "%" PRId64,
			 f->issue);
		return run->ackmail_num;
	}
	if (IS("state"))
		return f->issue != 0 ? store_issue_state_name(f->issue_state)
				     : "";
	if (IS("customer"))
		return f->customer_id != 0 ? nz(f->customer_name) : "";
	if (IS("company"))
		return f->customer_id != 0 ? nz(f->customer_company) : "";
	if (IS("match"))
		return f->match != SUPPORT_MATCH_NONE
			   ? support_match_name(f->match)
			   : "";
	if (IS("reason"))
		return nz(f->match_reason);
	if (IS("queue"))
		return nz(f->issue_queue);
	if (IS("notice")) {
		if (f->notice == 0)
			return "";
		snprintf(run->ackmail_num, sizeof(run->ackmail_num), "%" PRId64,
			 f->notice);
		return run->ackmail_num;
	}
#undef IS
	return "";
}

/* ---- tests ---- */

static int
robot_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	(void)n;
	return f != NULL && f->robot;
}

static int
staff_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	(void)n;
	return f != NULL && f->staff;
}

static int
tracking_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	(void)n;
	return f != NULL && f->tracking;
}

static int
notice_reply_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	(void)n;
	return f != NULL && f->notice != 0;
}

static int
duplicate_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	(void)n;
	return f != NULL && f->duplicate;
}

/* Matches one fact value against the keys at key_pos. */
static int
match_one(struct sieve_run *run, struct sieve_node *n, const char *value,
	  size_t key_pos)
{
	struct strlist vals = {0};
	int r;

	strlist_add(&vals, value);
	r = sieve_match_values(run, n, &vals, key_pos);
	strlist_free(&vals);
	return r;
}

static int
class_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	if (f == NULL || f->class_name == NULL)
		return 0;
	return match_one(run, n, f->class_name, 0);
}

static int
state_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);

	if (f == NULL || f->issue == 0)
		return 0;
	return match_one(run, n, store_issue_state_name(f->issue_state), 0);
}

static int
matched_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);
	struct strlist how = {0};
	const char *name;
	int r = 0;

	if (f == NULL || f->issue == 0 || f->match == SUPPORT_MATCH_NONE)
		return 0;
	if (!n->cmd.has[SLOT_ACK_HOW])
		return 1;
	name = support_match_name(f->match);
	sieve_expand_list(run, n->cmd.tag[SLOT_ACK_HOW], &how);
	for (size_t i = 0; i < how.n && r == 0; i++)
		r = strcasecmp(how.v[i], name) == 0;
	strlist_free(&how);
	return r;
}

static int
customer_test(struct sieve_run *run, struct sieve_node *n)
{
	const struct support_facts *f = facts_of(run);
	int what = n->cmd.has[SLOT_ACK_CUST] ? n->cmd.value[SLOT_ACK_CUST]
					     : CUST_KNOWN;

	if (f == NULL || f->customer_id == 0)
		return 0;
	if (what == CUST_VIP)
		return f->customer_vip;
	if (what == CUST_KNOWN && n->cmd.npos == 0)
		return 1;
	return match_one(run, n,
			 what == CUST_COMPANY ? nz(f->customer_company)
					      : nz(f->customer_name),
			 0);
}

static int
match_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, 0);
}

static int
customer_validate(struct sieve_valid *v, struct sieve_node *n)
{
	int what = n->cmd.has[SLOT_ACK_CUST] ? n->cmd.value[SLOT_ACK_CUST]
					     : CUST_KNOWN;

	if ((what == CUST_NAME || what == CUST_COMPANY) && n->cmd.npos == 0) {
		sieve_error(v, n,
			    "ackmail_customer: :name and :company "
			    "need keys");
		return -1;
	}
	if (what == CUST_VIP && n->cmd.npos > 0) {
		sieve_error(v, n, "ackmail_customer: :vip takes no keys");
		return -1;
	}
	if (n->cmd.npos == 0)
		return 0;
	return sieve_validate_match(v, n, 0);
}

static const struct sieve_tag_def *const match_tags[] = {sieve_tags_match,
							 NULL};

static const struct sieve_tag_def how_tag_table[] = {
    {"how", NULL, SLOT_ACK_HOW, 'L', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const how_tags[] = {how_tag_table, NULL};

static const struct sieve_tag_def cust_tag_table[] = {
    {"known", NULL, SLOT_ACK_CUST, 0, CUST_KNOWN},
    {"vip", NULL, SLOT_ACK_CUST, 0, CUST_VIP},
    {"name", NULL, SLOT_ACK_CUST, 0, CUST_NAME},
    {"company", NULL, SLOT_ACK_CUST, 0, CUST_COMPANY},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const cust_tags[] = {cust_tag_table,
							sieve_tags_match, NULL};

static const struct sieve_cmd_def t_robot = {
    .name = "ackmail_robot",
    .kind = DEF_TEST,
    .pos = "",
    .test = robot_test,
};
static const struct sieve_cmd_def t_staff = {
    .name = "ackmail_staff",
    .kind = DEF_TEST,
    .pos = "",
    .test = staff_test,
};
static const struct sieve_cmd_def t_tracking = {
    .name = "ackmail_tracking",
    .kind = DEF_TEST,
    .pos = "",
    .test = tracking_test,
};
static const struct sieve_cmd_def t_notice_reply = {
    .name = "ackmail_notice_reply",
    .kind = DEF_TEST,
    .pos = "",
    .test = notice_reply_test,
};
static const struct sieve_cmd_def t_duplicate = {
    .name = "ackmail_duplicate",
    .kind = DEF_TEST,
    .pos = "",
    .test = duplicate_test,
};
static const struct sieve_cmd_def t_class = {
    .name = "ackmail_class",
    .kind = DEF_TEST,
    .pos = "L",
    .tags = match_tags,
    .validate = match_validate,
    .test = class_test,
};
static const struct sieve_cmd_def t_state = {
    .name = "ackmail_state",
    .kind = DEF_TEST,
    .pos = "L",
    .tags = match_tags,
    .validate = match_validate,
    .test = state_test,
};
static const struct sieve_cmd_def t_matched = {
    .name = "ackmail_matched",
    .kind = DEF_TEST,
    .pos = "",
    .tags = how_tags,
    .test = matched_test,
};
static const struct sieve_cmd_def t_customer = {
    .name = "ackmail_customer",
    .kind = DEF_TEST,
    .pos = "l",
    .tags = cust_tags,
    .validate = customer_validate,
    .test = customer_test,
};

/* ---- actions ---- */

static int
add_op(struct sieve_run *run, struct sieve_node *n, const char *op,
       struct strlist *args)
{
	struct action *a = action_new(ACTION_SUPPORT);

	a->op = xstrdup(op);
	if (args != NULL) {
		for (size_t i = 0; i < args->n; i++)
			strlist_add(&a->args, args->v[i]);
		strlist_free(args);
	}
	/* not STORE/REDIRECT/DISCARD/REJECT: the implicit keep stays */
	return sieve_add_action(run, n, a);
}

static void
arg_add(struct strlist *args, const char *key, const char *value)
{
	strlist_add_owned(args, xasprintf("%s=%s", key, value));
}

static void
arg_add_expanded(struct sieve_run *run, struct strlist *args, const char *key,
		 const struct sieve_arg *arg)
{
	char *v = sieve_expand(run, &arg->strs[0]);

	arg_add(args, key, v);
	free(v);
}

static int
issue_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	struct strlist args = {0};

	if (c->has[SLOT_ACK_QUEUE])
		arg_add_expanded(run, &args, "queue", c->tag[SLOT_ACK_QUEUE]);
	if (c->has[SLOT_ACK_NUMBER]) {
		char num[24];

		snprintf(num, sizeof(num), "%" PRIu64,
			 c->tag[SLOT_ACK_NUMBER]->number);
		arg_add(&args, "number", num);
	}
	if (c->has[SLOT_ACK_NEW])
		arg_add(&args, "new", "1");
	return add_op(run, n, "issue", &args);
}

static int
issue_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_ACK_NUMBER] &&
	    n->cmd.tag[SLOT_ACK_NUMBER]->number == 0) {
		sieve_error(v, n, "ackmail_issue: :number must be positive");
		return -1;
	}
	return 0;
}

static int
noissue_exec(struct sieve_run *run, struct sieve_node *n)
{
	return add_op(run, n, "noissue", NULL);
}

static int
setstate_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	struct strlist args = {0};
	char *v = sieve_expand(run, &c->pos[0]->strs[0]);
	enum store_issue_state st;

	if (store_issue_state_parse(v, &st) < 0) {
		int r = sieve_runtime_error(run, n,
					    "ackmail_state: expected open, "
					    "waiting, resolved or closed, "
					    "not '%s'",
					    v);
		free(v);
		return r;
	}
	arg_add(&args, "state", v);
	free(v);
	/* resolved or closed tells the customer, as `ackmail issue close`
	   does, unless :quiet */
	if (c->has[SLOT_ACK_QUIET])
		arg_add(&args, "quiet", "1");
	if (c->has[SLOT_ACK_NOTE])
		arg_add_expanded(run, &args, "note", c->tag[SLOT_ACK_NOTE]);
	if (c->has[SLOT_ACK_LANG])
		arg_add_expanded(run, &args, "lang", c->tag[SLOT_ACK_LANG]);
	return add_op(run, n, "state", &args);
}

static int
setstate_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];
	enum store_issue_state st;

	if (sieve_string_is_constant(s) &&
	    store_issue_state_parse(s->s, &st) < 0) {
		sieve_error(v, n,
			    "ackmail_state: expected open, waiting, resolved "
			    "or closed, not '%s'",
			    s->s);
		return -1;
	}
	if (n->cmd.has[SLOT_ACK_QUIET] && n->cmd.has[SLOT_ACK_NOTE]) {
		sieve_error(v, n,
			    "ackmail_state: :quiet and :note exclude "
			    "each other");
		return -1;
	}
	return 0;
}

static int
tag_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist args = {0};
	char *v = sieve_expand(run, &n->cmd.pos[0]->strs[0]);

	if (*v == '\0') {
		free(v);
		return 0; /* an empty tag (from a variable): nothing */
	}
	arg_add(&args, "tag", v);
	free(v);
	return add_op(run, n, "tag", &args);
}

static int
ticket_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	struct strlist args = {0};

	if (c->has[SLOT_ACK_SYSTEM])
		arg_add_expanded(run, &args, "system", c->tag[SLOT_ACK_SYSTEM]);
	arg_add_expanded(run, &args, "pattern", c->pos[0]);
	if (c->has[SLOT_ACK_BODY])
		arg_add(&args, "body", "1");
	return add_op(run, n, "ticket_rule", &args);
}

static int
ticket_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];
	struct match_regex *re;
	char *error = NULL;

	if (!sieve_string_is_constant(s))
		return 0;
	if (s->len == 0) {
		sieve_error(v, n, "ackmail_ticket: empty pattern");
		return -1;
	}
	if (match_regex_compile(s->s, false, &re, &error) < 0) {
		sieve_error(v, n, "ackmail_ticket: bad pattern: %s",
			    error != NULL ? error : "");
		free(error);
		return -1;
	}
	match_regex_free(&re);
	return 0;
}

static int
acknowledge_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	struct strlist args = {0};

	/* without :always, only a message that opened or reopened its
	   issue is acknowledged (the gate decides in every case) */
	if (c->has[SLOT_ACK_ALWAYS])
		arg_add(&args, "always", "1");
	if (c->has[SLOT_ACK_TEMPLATE])
		arg_add_expanded(run, &args, "template",
				 c->tag[SLOT_ACK_TEMPLATE]);
	if (c->has[SLOT_ACK_LANG])
		arg_add_expanded(run, &args, "lang", c->tag[SLOT_ACK_LANG]);
	return add_op(run, n, "acknowledge", &args);
}

static int
notice_exec(struct sieve_run *run, struct sieve_node *n)
{
	return add_op(run, n, "notice", NULL);
}

static const struct sieve_tag_def issue_tag_table[] = {
    {"queue", NULL, SLOT_ACK_QUEUE, 'S', 0},
    {"number", NULL, SLOT_ACK_NUMBER, 'N', 0},
    {"new", NULL, SLOT_ACK_NEW, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const issue_tags[] = {issue_tag_table, NULL};

static const struct sieve_tag_def ticket_tag_table[] = {
    {"system", NULL, SLOT_ACK_SYSTEM, 'S', 0},
    {"body", NULL, SLOT_ACK_BODY, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const ticket_tags[] = {ticket_tag_table,
							  NULL};

static const struct sieve_tag_def ack_tag_table[] = {
    {"always", NULL, SLOT_ACK_ALWAYS, 0, 0},
    {"template", NULL, SLOT_ACK_TEMPLATE, 'S', 0},
    {"lang", NULL, SLOT_ACK_LANG, 'S', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const ack_tags[] = {ack_tag_table, NULL};

static const struct sieve_tag_def state_tag_table[] = {
    {"note", NULL, SLOT_ACK_NOTE, 'S', 0},
    {"quiet", NULL, SLOT_ACK_QUIET, 0, 0},
    {"lang", NULL, SLOT_ACK_LANG, 'S', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const state_tags[] = {state_tag_table, NULL};

static const struct sieve_cmd_def c_issue = {
    .name = "ackmail_issue",
    .kind = DEF_COMMAND,
    .pos = "",
    .tags = issue_tags,
    .validate = issue_validate,
    .exec = issue_exec,
};
static const struct sieve_cmd_def c_noissue = {
    .name = "ackmail_noissue",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = noissue_exec,
};
static const struct sieve_cmd_def c_state = {
    .name = "ackmail_state",
    .kind = DEF_COMMAND,
    .pos = "S",
    .tags = state_tags,
    .validate = setstate_validate,
    .exec = setstate_exec,
};
static const struct sieve_cmd_def c_tag = {
    .name = "ackmail_tag",
    .kind = DEF_COMMAND,
    .pos = "S",
    .exec = tag_exec,
};
static const struct sieve_cmd_def c_ticket = {
    .name = "ackmail_ticket",
    .kind = DEF_COMMAND,
    .pos = "S",
    .tags = ticket_tags,
    .validate = ticket_validate,
    .exec = ticket_exec,
};
static const struct sieve_cmd_def c_acknowledge = {
    .name = "ackmail_acknowledge",
    .kind = DEF_COMMAND,
    .pos = "",
    .tags = ack_tags,
    .exec = acknowledge_exec,
};
static const struct sieve_cmd_def c_notice = {
    .name = "ackmail_notice",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = notice_exec,
};

static const struct sieve_cmd_def *const defs[] = {
    &t_notice_reply, &t_robot, &t_staff,   &t_tracking, &t_duplicate,
    &t_class,	     &t_state, &t_matched, &t_customer, &c_issue,
    &c_noissue,	     &c_state, &c_tag,	   &c_ticket,	&c_acknowledge,
    &c_notice,	     NULL,
};

const struct sieve_extension sieve_ext_vnd_ackmail = {
    .name = "vnd.ackmail",
    .defs = defs,
};
