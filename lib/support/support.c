/*
 * support.c - the support pipeline for one message: analyze (classify,
 * find the customer, match the issue), apply the rules' support actions
 * to a plan, record (inside the delivery transaction). See support.h for
 * the order of the matching steps.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <glib.h>

#include "engine.h"
#include "support-private.h"

static const char *const match_names[] = {
    [SUPPORT_MATCH_NONE] = "none",
    [SUPPORT_MATCH_SIGNED_ID] = "signed-id",
    [SUPPORT_MATCH_KNOWN_ID] = "known-id",
    [SUPPORT_MATCH_TAG] = "tag",
    [SUPPORT_MATCH_TICKET] = "ticket-rule",
    [SUPPORT_MATCH_SUBJECT] = "subject",
    [SUPPORT_MATCH_ROBOT_REPLY] = "robot-reply",
    [SUPPORT_MATCH_RULE] = "rule",
};

const char *
support_match_name(enum support_match match)
{
	if ((size_t)match >= N_ELEMENTS(match_names))
		return "none";
	return match_names[match];
}

void
support_set_error(struct support *support, bool transient, char *text)
{
	free(support->error);
	support->error = text;
	support->transient = transient;
}

int
support_store_error(struct support *support, const char *error,
		    const char **error_r)
{
	support_set_error(support, store_error_transient(support->store),
			  xstrdup(error != NULL ? error : "store error"));
	*error_r = support->error;
	return -1;
}

bool
support_error_transient(const struct support *support)
{
	return support == NULL || support->transient;
}

/* ---- opening ---- */

static void
split_lower(struct strlist *l, const char *s)
{
	struct strlist tmp = {0};

	if (s == NULL)
		return;
	strlist_split(&tmp, s, " \t,");
	for (size_t i = 0; i < tmp.n; i++)
		strlist_add(l, str_lower(tmp.v[i]));
	strlist_free(&tmp);
}

static int
open_fail(struct support *support, char *text, const char **error_r)
{
	support_set_error(support, false, text);
	*error_r = support->error;
	return -1;
}

int
support_open(const struct config *config, struct store *store,
	     struct support **support_r, const char **error_r)
{
	const char *address = config_get(config, "support", NULL, "address");
	const char *v;
	struct support *support;
	char host[256] = "";
	long n;
	int err;
	PCRE2_SIZE off;

	*support_r = NULL;
	if (address == NULL || *address == '\0')
		return 0;
	support = xcalloc(1, sizeof(*support));
	*support_r = support;
	support->config = config;
	support->store = store;
	split_lower(&support->addresses, address);
	split_lower(&support->staff,
		    config_get(config, "support", NULL, "staff"));
	split_lower(&support->tracking,
		    config_get(config, "support", NULL, "tracking_address"));
	for (size_t i = 0; i < support->addresses.n; i++)
		strlist_add(&support->ours, support->addresses.v[i]);
	for (size_t i = 0; i < support->tracking.n; i++)
		strlist_add(&support->ours, support->tracking.v[i]);
	support->secret =
	    xstrdup(config_get_default(config, "support", "secret", ""));
	v = config_get(config, "support", NULL, "hostname");
	if (v == NULL && gethostname(host, sizeof(host) - 1) == 0 &&
	    strchr(host, '.') != NULL)
		v = host;
	if (v == NULL) /* no qualified host name: our address's domain */
		v = strchr(support->addresses.v[0], '@');
	support->hostname = xstrdup(v == NULL	? "localhost"
				    : *v == '@' ? v + 1
						: v);
	support->loop_header = xstrdup(config_get_default(
	    config, "support", "loop_header", "X-Ackmail-Loop"));
	v = config_get_default(config, "support", "tag_pattern",
			       "\\[#([0-9]+)\\]");
	support->tag_re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED,
					PCRE2_UTF, &err, &off, NULL);
	if (support->tag_re == NULL)
		return open_fail(support,
				 xasprintf("[support] tag_pattern: bad regex "
					   "at offset %zu",
					   (size_t)off),
				 error_r);
	if (config_get_duration(config, "support", "reopen_window", 30 * 86400,
				&support->reopen_window) < 0 ||
	    config_get_duration(config, "support", "subject_window", 7 * 86400,
				&support->subject_window) < 0)
		return open_fail(support,
				 xstrdup("[support] reopen_window/"
					 "subject_window: expected a duration"),
				 error_r);
	if (config_get_bool(config, "support", "match_subject", true,
			    &support->match_subject) < 0 ||
	    config_get_bool(config, "support", "match_names", true,
			    &support->match_names) < 0 ||
	    config_get_bool(config, "support", "robot_replies", true,
			    &support->robot_replies) < 0)
		return open_fail(
		    support, xstrdup("[support]: expected a boolean"), error_r);
	if (config_get_long(config, "support", "first_issue_number", 1001, &n) <
	    0)
		return open_fail(
		    support,
		    xstrdup("[support] first_issue_number: expected a number"),
		    error_r);
	support->first_issue = n > 0 ? n : 1;
	v = config_get_default(config, "support", "new_issues", "anyone");
	support->customers_only = strcasecmp(v, "customers") == 0;

	support->cls_set.loop_header = support->loop_header;
	support->cls_set.our_addresses = &support->ours;
	support->cls_set.is_our_message_id = support_is_our_message_id;
	support->cls_set.ctx = support;
	return 1;
}

void
support_close(struct support **supportp)
{
	struct support *support = *supportp;

	if (support == NULL)
		return;
	support_message_done(support);
	strlist_free(&support->addresses);
	strlist_free(&support->staff);
	strlist_free(&support->tracking);
	strlist_free(&support->ours);
	free(support->secret);
	free(support->hostname);
	free(support->loop_header);
	if (support->tag_re != NULL)
		pcre2_code_free(support->tag_re);
	support_ticket_rules_free(support);
	free(support->error);
	free(support);
	*supportp = NULL;
}

void
support_set_store(struct support *support, struct store *store)
{
	support->store = store;
}

const struct msg_classify_settings *
support_classify_settings(struct support *support)
{
	return &support->cls_set;
}

void
support_set_hooks(struct support *support, const struct support_hooks *hooks)
{
	support->hooks = *hooks;
}

bool
support_plan_acknowledge(const struct support *support)
{
	return support->plan_ack && !support->facts.robot &&
	       !support->facts.duplicate;
}

bool
support_plan_notice(const struct support *support)
{
	return support->plan_notice;
}

const struct support_hooks *
support_get_hooks(const struct support *support)
{
	return &support->hooks;
}

const struct support_facts *
support_facts(const struct support *support)
{
	return support->analyzed ? &support->facts : NULL;
}

/* ---- the current message ---- */

void
support_message_done(struct support *support)
{
	free(support->f_message_id);
	free(support->f_from);
	free(support->f_cust_name);
	free(support->f_cust_company);
	free(support->f_queue);
	free(support->f_reason);
	free(support->f_display);
	strlist_free(&support->refs);
	strlist_free(&support->tickets_found);
	free(support->plan_queue);
	strlist_free(&support->plan_tags);
	strlist_free(&support->plan_tickets);
	support->f_message_id = support->f_from = support->f_cust_name = NULL;
	support->f_cust_company = support->f_queue = support->f_reason = NULL;
	support->f_display = support->plan_queue = NULL;
	memset(&support->facts, 0, sizeof(support->facts));
	support->plan_issue = support->plan_noissue = support->plan_new = false;
	support->plan_state_set = support->plan_notice = false;
	support->plan_ack = support->plan_ack_always = false;
	support->plan_state_quiet = false;
	xfree(support->plan_ack_template);
	xfree(support->plan_ack_lang);
	xfree(support->plan_state_note);
	xfree(support->plan_state_lang);
	xfree(support->plan_note_text);
	support->plan_number = 0;
	support->msg = NULL;
	support->analyzed = false;
}

static bool
in_list(const struct strlist *l, const char *addr)
{
	const char *at;

	if (addr == NULL || *addr == '\0')
		return false;
	at = strrchr(addr, '@');
	for (size_t i = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i], addr) == 0)
			return true;
		if (l->v[i][0] == '@' && at != NULL &&
		    strcasecmp(l->v[i], at) == 0)
			return true;
	}
	return false;
}

static void
set_reason(struct support *support, char *text)
{
	free(support->f_reason);
	support->f_reason = text;
	support->facts.match_reason = text;
}

/* A synthetic id for mail without a Message-ID: the hash of its bytes, so
   a second delivery of the same bytes is still recognised. */
static char *
synthetic_id(struct support *support, struct msg *msg)
{
	size_t len;
	const char *data = msg_data(msg, &len);
	char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
						(const guchar *)data, len);
	char *id = xasprintf("ackmail.nomid.%.32s@%s", sum, support->hostname);

	g_free(sum);
	return id;
}

/* Loads the customer of address into the facts. 1 found, 0, -1. */
static int
find_customer(struct support *support, const char *addr, const char *name,
	      const char **error_r)
{
	struct store_customer c;
	int64_t id = 0;
	const char *how = "address";
	int r = 0;

	if (addr != NULL && *addr != '\0')
		r = store_customer_find(support->store, addr, &id, error_r);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	if (r == 0 && support->match_names && name != NULL && *name != '\0') {
		r = store_customer_find_name(support->store, name, &id,
					     error_r);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
		how = "name";
	}
	if (r == 0)
		return 0;
	r = store_customer_get(support->store, id, &c, error_r);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	if (r == 0)
		return 0;
	if (strcmp(how, "address") == 0 &&
	    !strlist_contains_case(&c.addresses, addr))
		how = "domain";
	support->facts.customer_id = c.id;
	support->facts.customer_how = how;
	support->facts.customer_vip = c.vip;
	support->f_cust_name = c.name;
	support->f_cust_company = c.company;
	c.name = c.company = NULL;
	support->facts.customer_name = support->f_cust_name;
	support->facts.customer_company = support->f_cust_company;
	store_customer_clear(&c);
	return 1;
}

/* Does the sender belong to issue's customer? */
static bool
belongs(const struct support *support, const struct store_issue *is)
{
	const struct support_facts *f = &support->facts;

	if (f->staff)
		return true;
	if (is->customer_id != 0 && is->customer_id == f->customer_id)
		return true;
	return is->opener != NULL && *f->from_addr != '\0' &&
	       strcasecmp(is->opener, f->from_addr) == 0;
}

/* Issue number if it exists: 1, 0, -1. */
static int
issue_load(struct support *support, int64_t number, struct store_issue *is,
	   const char **error_r)
{
	int r = store_issue_get(support->store, number, is, error_r);

	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	return r;
}

static void
matched(struct support *support, int64_t number, enum support_match how,
	char *reason)
{
	support->facts.issue = number;
	support->facts.match = how;
	set_reason(support, reason);
}

/* Words that mark a subject as a follow-up of an earlier mail, at its
   end or its start, in the customers' languages. */
static const char *const followup_suffixes[] = {
    "(again)",	     "again",	     "(reminder)",   "- reminder",
    "(2nd request)", "(erinnerung)", "(nochmal)",    "(nochmals)",
    "(relance)",     "(rappel)",     "(påminnelse)", "(повторно)",
};
static const char *const followup_prefixes[] = {
    "reminder:",  "again:",  "2nd request:", "second request:", "erinnerung:",
    "nachfrage:", "rappel:", "relance:",     "påminnelse:",	"повторно:",
};

/* Lower-cased (ASCII), whitespace squeezed and trimmed, as
   msg_subject_normalize() does without removing anything. */
static char *
squeeze_lower(const char *s)
{
	struct str out = STR_INIT;
	bool space = false;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t') {
			space = out.len > 0;
			continue;
		}
		if (space)
			str_appendc(&out, ' ');
		space = false;
		str_appendc(&out, (char)tolower((unsigned char)*s));
	}
	return str_steal(&out);
}

/* Whether subject looks like a reply or a follow-up; *key_r gets its
   normalised form without the markers (caller frees, also on false). */
static bool
subject_reply_key(const char *subject, char **key_r)
{
	char *key = msg_subject_normalize(subject);
	char *plain, *p;
	bool reply;
	size_t n;

	/* the subject without leading [tags], squeezed the same way: when
	   it differs from the key, a reply prefix was removed */
	p = xstrdup(subject);
	while (*str_trim(p) == '[' && strchr(p, ']') != NULL) {
		char *e = strchr(p, ']');

		memmove(p, e + 1, strlen(e + 1) + 1);
	}
	plain = squeeze_lower(p);
	free(p);
	reply = strcmp(plain, key) != 0;
	free(plain);
	for (size_t i = 0; i < N_ELEMENTS(followup_suffixes); i++) {
		n = strlen(followup_suffixes[i]);
		if (strlen(key) > n + 3 &&
		    str_has_suffix_case(key, followup_suffixes[i])) {
			key[strlen(key) - n] = '\0';
			str_trim(key);
			reply = true;
			break;
		}
	}
	for (size_t i = 0; i < N_ELEMENTS(followup_prefixes); i++) {
		n = strlen(followup_prefixes[i]);
		if (str_has_prefix_case(key, followup_prefixes[i])) {
			memmove(key, key + n, strlen(key + n) + 1);
			str_trim(key);
			reply = true;
			break;
		}
	}
	*key_r = key;
	return reply && strlen(key) >= 4;
}

/* The matching steps, in order; first hit wins. Queries only. */
static int
match_issue(struct support *support, const char **error_r)
{
	struct support_facts *f = &support->facts;
	struct msg *msg = support->msg;
	struct store_issue is;
	int64_t number = 0;
	int r;

	f->issue = 0;
	f->match = SUPPORT_MATCH_NONE;
	f->reopen = false;
	f->link_to = 0;
	f->notice = f->notice_issue = 0;
	set_reason(support, NULL);

	/* 1. our own signed Message-ID, In-Reply-To first */
	for (size_t i = support->refs.n; i-- > 0 && f->issue == 0;) {
		if (support_message_id_verify(support, support->refs.v[i],
					      &number) <= 0)
			continue;
		if ((r = issue_load(support, number, &is, error_r)) < 0)
			return -1;
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_SIGNED_ID,
				xasprintf("signed-id: our Message-ID <%s>",
					  support->refs.v[i]));
		store_issue_clear(&is);
	}
	/* 2. any Message-ID recorded for an issue (a report's original
	   message first) */
	if (f->issue == 0 && f->original_message_id != NULL) {
		r = store_message_ref_find(
		    support->store, f->original_message_id, &number, error_r);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_KNOWN_ID,
				xasprintf("known-id: original message <%s>",
					  f->original_message_id));
	}
	for (size_t i = support->refs.n; i-- > 0 && f->issue == 0;) {
		r = store_message_ref_find(support->store, support->refs.v[i],
					   &number, error_r);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
		if (r > 0)
			matched(
			    support, number, SUPPORT_MATCH_KNOWN_ID,
			    xasprintf("known-id: <%s>", support->refs.v[i]));
	}
	/* 2b. a change notice of ours: the answer belongs to the notice's
	   issue; a notice on no issue is only noted (the rules decide:
	   ackmail_notice_reply) */
	for (size_t i = support->refs.n; i-- > 0 && f->notice == 0;) {
		int64_t notice = 0;

		r = store_message_notice_find(support->store,
					      support->refs.v[i], &notice,
					      &number, error_r);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
		if (r == 0)
			continue;
		f->notice = notice;
		f->notice_issue = number;
		if (f->issue != 0 || number == 0)
			continue;
		if ((r = issue_load(support, number, &is, error_r)) < 0)
			return -1;
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_KNOWN_ID,
				xasprintf("known-id: change notice %lld <%s>",
					  (long long)notice,
					  support->refs.v[i]));
		store_issue_clear(&is);
	}
	/* 3. the subject tag, from the issue's customer only */
	if (f->issue == 0) {
		const char *subj = msg_subject(msg);
		pcre2_match_data *md =
		    pcre2_match_data_create_from_pattern(support->tag_re, NULL);
		size_t len = strlen(subj), pos = 0;

		while (f->issue == 0 && f->link_to == 0 && pos <= len &&
		       pcre2_match(support->tag_re, (PCRE2_SPTR)subj, len, pos,
				   0, md, NULL) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t s = ov[0];

			if (pcre2_get_ovector_count(md) > 1 &&
			    ov[2] != PCRE2_UNSET)
				s = ov[2];
			number = strtoll(subj + s, NULL, 10);
			pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			if (number <= 0)
				continue;
			if ((r = issue_load(support, number, &is, error_r)) <
			    0) {
				pcre2_match_data_free(md);
				return -1;
			}
			if (r > 0 && belongs(support, &is))
				matched(support, number, SUPPORT_MATCH_TAG,
					xasprintf("tag: [#%lld] from the "
						  "issue's customer",
						  (long long)number));
			else if (r > 0 && !f->robot) {
				f->link_to = number;
				set_reason(support,
					   xasprintf("tag: [#%lld] from a "
						     "stranger: new issue "
						     "linked to it",
						     (long long)number));
			}
			store_issue_clear(&is);
		}
		pcre2_match_data_free(md);
	}
	/* 4. other systems' ticket numbers */
	for (size_t i = 0;
	     f->issue == 0 && f->link_to == 0 && i < support->tickets_found.n;
	     i++) {
		char *sys = xstrdup(support->tickets_found.v[i]);
		char *id = strchr(sys, '\t');

		*id++ = '\0';
		r = store_issue_find_external(support->store, sys, id, &number,
					      error_r);
		if (r < 0) {
			free(sys);
			return support_store_error(support, *error_r, error_r);
		}
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_TICKET,
				xasprintf("ticket-rule: %s %s", sys, id));
		free(sys);
	}
	/* 5. a reply by subject: the subject says it answers something
	   ("Re: ...", "... (again)") and a message with the same
	   normalised subject came from this sender or sits on an issue of
	   this customer, recently */
	if (f->issue == 0 && f->link_to == 0 && support->match_subject &&
	    *f->from_addr != '\0' && !f->staff) {
		char *key = NULL;

		r = 0;
		if (subject_reply_key(msg_subject(msg), &key))
			r = store_message_find_subject(
			    support->store, f->from_addr, f->customer_id, key,
			    clock_now() - support->subject_window, &number,
			    error_r);
		if (r < 0) {
			free(key);
			return support_store_error(support, *error_r, error_r);
		}
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_SUBJECT,
				xasprintf("subject: a reply to \"%s\" of the "
					  "same customer",
					  key));
		free(key);
	}
	/* 6. a robot answering our mail (an out-of-office without any
	   thread header): the issue we last wrote to that customer */
	if (f->issue == 0 && f->robot && support->robot_replies &&
	    f->customer_id != 0 &&
	    (f->class == MSG_CLASS_AUTOREPLY || f->class == MSG_CLASS_MDN ||
	     f->class == MSG_CLASS_CALENDAR)) {
		r = store_issue_latest_ours(support->store, f->customer_id,
					    NULL, &number, error_r);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
		if (r > 0)
			matched(support, number, SUPPORT_MATCH_ROBOT_REPLY,
				xasprintf("robot-reply: %s from the customer, "
					  "the issue we wrote to last",
					  f->class_name));
	}

	/* closed issues: reopen within the window, else a linked issue */
	if (f->issue != 0) {
		if ((r = issue_load(support, f->issue, &is, error_r)) < 0)
			return -1;
		f->issue_state = is.state;
		free(support->f_queue);
		support->f_queue = is.queue;
		is.queue = NULL;
		f->issue_queue = support->f_queue;
		if (!f->robot && !f->staff && !f->tracking &&
		    (is.state == STORE_ISSUE_RESOLVED ||
		     is.state == STORE_ISSUE_CLOSED)) {
			time_t now = clock_now();

			if (is.closed_at == 0 ||
			    now - is.closed_at < support->reopen_window) {
				f->reopen = true;
				set_reason(support,
					   xasprintf("%s; reopens it",
						     support->f_reason));
			} else {
				f->link_to = f->issue;
				set_reason(
				    support,
				    xasprintf("%s; closed too long ago: "
					      "new issue linked to #%lld",
					      support->f_reason,
					      (long long)f->issue));
				f->issue = 0;
			}
		}
		store_issue_clear(&is);
	}
	if (f->match_reason == NULL && f->notice != 0 && f->issue == 0)
		set_reason(support,
			   xasprintf("notice: a reply to change notice %lld, "
				     "which is on no issue",
				     (long long)f->notice));
	if (f->match_reason == NULL)
		set_reason(support, xstrdup("no match"));
	return 0;
}

/* The first addressee that is not us or our staff (the customer of a
   staff message). */
static char *
staff_customer_addr(struct support *support)
{
	static const char *const fields[] = {"To", "Cc"};
	char *found = NULL;

	for (size_t k = 0; k < N_ELEMENTS(fields) && found == NULL; k++) {
		struct msg_addrlist al = {0};

		msg_addr_header(support->msg, fields[k], &al);
		for (size_t i = 0; i < al.n && found == NULL; i++) {
			char *a = msg_addr_normalize(al.v[i].addr);

			if (*a != '\0' && !in_list(&support->staff, a) &&
			    !in_list(&support->ours, a))
				found = a;
			else
				free(a);
		}
		msg_addrlist_free(&al);
	}
	return found;
}

int
support_analyze(struct support *support, struct msg *msg,
		const struct support_facts **facts_r, const char **error_r)
{
	struct support_facts *f = &support->facts;
	const struct msg_classification *cls;
	struct msg_addrlist from = {0};
	struct store_message old;
	const char *mid, *env_to;
	int r;

	support_message_done(support);
	support->msg = msg;
	cls = msg_classify(msg, &support->cls_set);
	f->class = cls->class;
	f->class_name = msg_class_name(cls->class);
	f->class_reason = cls->reason;
	f->robot = msg_class_is_robot(cls->class);
	f->failed_recipient = cls->failed_recipient;
	f->original_message_id = cls->original_message_id;

	mid = msg_message_id(msg);
	support->f_message_id =
	    mid != NULL ? xstrdup(mid) : synthetic_id(support, msg);
	f->message_id = support->f_message_id;
	if (msg_addr_header(msg, "From", &from) > 0) {
		support->f_from = msg_addr_normalize(from.v[0].addr);
		if (from.v[0].name != NULL)
			support->f_display = xstrdup(from.v[0].name);
	} else
		support->f_from = xstrdup("");
	msg_addrlist_free(&from);
	f->from_addr = support->f_from;
	f->staff = f->class != MSG_CLASS_LOOP &&
		   in_list(&support->staff, support->f_from) &&
		   !in_list(&support->ours, support->f_from);
	env_to = msg_envelope_to(msg);
	f->tracking = env_to != NULL && in_list(&support->tracking, env_to);
	if (!f->tracking && env_to == NULL) {
		char *v = msg_header_get(msg, "X-Original-To", false);

		if (v != NULL)
			f->tracking = in_list(&support->tracking, str_trim(v));
		free(v);
	}
	msg_thread_refs(msg, &support->refs);
	support_ticket_scan(support, msg, &support->tickets_found);
	support->analyzed = true;
	*facts_r = f;

	if (support->store == NULL) {
		set_reason(support, xstrdup("no state database"));
		return 0;
	}
	r = store_message_get(support->store, f->message_id, &old, error_r);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	if (r > 0) {
		f->duplicate = true;
		f->issue = old.issue;
		set_reason(support,
			   xasprintf("duplicate: already recorded (%s)",
				     old.match_reason != NULL ? old.match_reason
							      : "no issue"));
		store_message_clear(&old);
	}
	if (f->staff) {
		char *a = staff_customer_addr(support);

		r = a != NULL ? find_customer(support, a, NULL, error_r) : 0;
		free(a);
	} else if (f->class != MSG_CLASS_LOOP)
		r = find_customer(support, support->f_from, support->f_display,
				  error_r);
	else
		r = 0;
	if (r < 0)
		return -1;
	if (f->duplicate)
		return 0;
	return match_issue(support, error_r);
}

/* ---- the plan ---- */

static const char *
arg_get(const struct action *a, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < a->args.n; i++)
		if (strncasecmp(a->args.v[i], key, kl) == 0 &&
		    a->args.v[i][kl] == '=')
			return a->args.v[i] + kl + 1;
	return NULL;
}

static int
apply_fail(struct support *support, char *text, const char **error_r)
{
	support_set_error(support, false, text);
	*error_r = support->error;
	return -1;
}

int
support_apply(struct support *support, const struct action *a,
	      const char **error_r)
{
	const char *op = a->op != NULL ? a->op : "issue";
	const char *v;

	if (!support->analyzed)
		return apply_fail(support,
				  xstrdup("support_apply before "
					  "support_analyze"),
				  error_r);
	if (strcasecmp(op, "issue") == 0) {
		support->plan_issue = true;
		if ((v = arg_get(a, "queue")) != NULL) {
			free(support->plan_queue);
			support->plan_queue = xstrdup(v);
		}
		if ((v = arg_get(a, "number")) != NULL) {
			char *end;
			long long n = strtoll(v, &end, 10);

			if (*end != '\0' || n <= 0)
				return apply_fail(support,
						  xasprintf("issue: bad number "
							    "'%s'",
							    v),
						  error_r);
			support->plan_number = n;
		}
		if ((v = arg_get(a, "new")) != NULL && strcmp(v, "0") != 0)
			support->plan_new = true;
	} else if (strcasecmp(op, "noissue") == 0) {
		support->plan_noissue = true;
	} else if (strcasecmp(op, "state") == 0) {
		v = arg_get(a, "state");
		if (v == NULL ||
		    store_issue_state_parse(v, &support->plan_state) < 0)
			return apply_fail(
			    support,
			    xasprintf("state: expected open, waiting, resolved "
				      "or closed, not '%s'",
				      v != NULL ? v : ""),
			    error_r);
		support->plan_state_set = true;
		v = arg_get(a, "quiet");
		support->plan_state_quiet = v != NULL && strcmp(v, "0") != 0;
		free(support->plan_state_note);
		free(support->plan_state_lang);
		v = arg_get(a, "note");
		support->plan_state_note = v != NULL ? xstrdup(v) : NULL;
		v = arg_get(a, "lang");
		support->plan_state_lang = v != NULL ? xstrdup(v) : NULL;
	} else if (strcasecmp(op, "tag") == 0) {
		v = arg_get(a, "tag");
		if (v == NULL || *v == '\0')
			return apply_fail(support, xstrdup("tag: no tag"),
					  error_r);
		strlist_add(&support->plan_tags, v);
	} else if (strcasecmp(op, "ticket") == 0) {
		const char *sys = arg_get(a, "system"), *id = arg_get(a, "id");

		if (id == NULL || *id == '\0')
			return apply_fail(support, xstrdup("ticket: no id"),
					  error_r);
		strlist_add_owned(
		    &support->plan_tickets,
		    xasprintf("%s\t%s", sys != NULL ? sys : "ticket", id));
	} else if (strcasecmp(op, "ticket_rule") == 0) {
		const char *sys = arg_get(a, "system");
		const char *pat = arg_get(a, "pattern");

		if (pat == NULL || *pat == '\0')
			return apply_fail(support,
					  xstrdup("ticket_rule: no pattern"),
					  error_r);
		/* rules register their patterns as they run: the first
		   time adds the rule; record() matches again */
		if (support_ticket_rule_known(support, sys, pat))
			return 0;
		if (support_add_ticket_rule(support, sys != NULL ? sys : "",
					    pat, arg_get(a, "body") != NULL,
					    error_r) < 0)
			return -1;
		strlist_free(&support->tickets_found);
		support_ticket_scan(support, support->msg,
				    &support->tickets_found);
	} else if (strcasecmp(op, "notice") == 0) {
		support->plan_notice = true;
	} else if (strcasecmp(op, "acknowledge") == 0 ||
		   strcasecmp(op, "ack") == 0) {
		support->plan_ack = true;
		v = arg_get(a, "always");
		support->plan_ack_always = v != NULL && strcmp(v, "0") != 0;
		free(support->plan_ack_template);
		free(support->plan_ack_lang);
		v = arg_get(a, "template");
		support->plan_ack_template = v != NULL ? xstrdup(v) : NULL;
		v = arg_get(a, "lang");
		support->plan_ack_lang = v != NULL ? xstrdup(v) : NULL;
	} else
		return apply_fail(
		    support, xasprintf("unknown support operation '%s'", op),
		    error_r);
	return 0;
}

int
support_plan_ack(const struct support *support, const char **template_r,
		 const char **lang_r)
{
	*template_r = support->plan_ack_template;
	*lang_r = support->plan_ack_lang;
	if (!support->plan_ack)
		return 0;
	return support->plan_ack_always ? 2 : 1;
}

const char *
support_plan_note(const struct support *support, const char **lang_r)
{
	*lang_r = support->plan_state_lang;
	if (support->plan_state_note != NULL)
		return support->plan_state_note;
	return support->plan_note_text;
}

/* ---- recording ---- */

static char *
join(const struct strlist *l, const char *sep)
{
	struct str s = STR_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			str_append(&s, sep);
		str_append(&s, l->v[i]);
	}
	return str_steal(&s);
}

static char *
addresses_of(struct msg *msg)
{
	static const char *const fields[] = {"To", "Cc"};
	struct strlist l = {0};
	char *s;

	for (size_t k = 0; k < N_ELEMENTS(fields); k++) {
		struct msg_addrlist al = {0};

		msg_addr_header(msg, fields[k], &al);
		for (size_t i = 0; i < al.n; i++)
			strlist_add_owned(&l, msg_addr_normalize(al.v[i].addr));
		msg_addrlist_free(&al);
	}
	s = join(&l, ", ");
	strlist_free(&l);
	return s;
}

/* Opens a new issue for the current message. */
static int
open_issue(struct support *support, int64_t *number_r, const char **error_r)
{
	const struct support_facts *f = &support->facts;
	struct store_issue is;
	time_t now = clock_now();

	memset(&is, 0, sizeof(is));
	is.customer_id = f->customer_id;
	is.subject = (char *)msg_subject(support->msg);
	is.state = STORE_ISSUE_OPEN;
	is.queue = support->plan_queue;
	is.opener = (char *)f->from_addr;
	is.opened_at = now;
	is.last_customer_at = now;
	is.linked_issue = f->link_to;
	if (store_issue_create(support->store, &is, support->first_issue,
			       number_r, error_r) < 0)
		return support_store_error(support, *error_r, error_r);
	return 0;
}

/* Decides the issue of the current message; may open one. */
static int
decide(struct support *support, int64_t *number_r, bool *opened_r,
       const char **error_r)
{
	struct support_facts *f = &support->facts;
	struct store_issue is;
	int r;

	*number_r = 0;
	*opened_r = false;
	if (support->plan_noissue) {
		if (support->f_reason != NULL &&
		    strcmp(support->f_reason, "no match") != 0)
			set_reason(support, xasprintf("rule: no issue; %s",
						      support->f_reason));
		else
			set_reason(support, xstrdup("rule: no issue"));
		return 0;
	}
	if (support->plan_number != 0) {
		if ((r = issue_load(support, support->plan_number, &is,
				    error_r)) < 0)
			return -1;
		store_issue_clear(&is);
		if (r > 0) {
			*number_r = support->plan_number;
			f->match = SUPPORT_MATCH_RULE;
			set_reason(support,
				   xasprintf("rule: issue #%lld",
					     (long long)support->plan_number));
			return 0;
		}
		set_reason(support,
			   xasprintf("rule: issue #%lld does not exist",
				     (long long)support->plan_number));
		return 0;
	}
	if (!support->plan_issue) {
		set_reason(support,
			   xasprintf("%s; the rules put it on no issue",
				     support->f_reason));
		f->issue = 0;
		return 0;
	}
	if (f->issue != 0 && !support->plan_new) {
		*number_r = f->issue;
		return 0;
	}
	if (f->robot)
		set_reason(support, xasprintf("%s; %s (%s): robots never open "
					      "issues",
					      support->f_reason, f->class_name,
					      f->class_reason));
	else if (f->staff || f->tracking)
		set_reason(support, xasprintf("%s; staff mail opens no issue",
					      support->f_reason));
	else if (support->customers_only && f->customer_id == 0)
		set_reason(support,
			   xasprintf("%s; unknown sender and [support] "
				     "new_issues = customers",
				     support->f_reason));
	else {
		if (open_issue(support, number_r, error_r) < 0)
			return -1;
		*opened_r = true;
		if (f->link_to != 0)
			set_reason(support,
				   xasprintf("new: %s", support->f_reason));
		else
			set_reason(support,
				   xasprintf("new: %s message, no match",
					     f->customer_id != 0 ? "customer's"
								 : "human"));
	}
	return 0;
}

static int
update_issue(struct support *support, int64_t number, bool outgoing,
	     const char **error_r)
{
	const struct support_facts *f = &support->facts;
	struct store_issue is;
	time_t now = clock_now();
	bool was_done, tell;
	int r;

	if ((r = issue_load(support, number, &is, error_r)) <= 0)
		return r;
	was_done =
	    is.state == STORE_ISSUE_RESOLVED || is.state == STORE_ISSUE_CLOSED;
	if (outgoing)
		is.last_ours_at = now;
	else if (!f->robot) {
		is.last_customer_at = now;
		if (f->reopen || is.state == STORE_ISSUE_WAITING)
			is.state = STORE_ISSUE_OPEN;
	}
	if (is.customer_id == 0 && f->customer_id != 0 && !f->staff)
		is.customer_id = f->customer_id;
	if (support->plan_state_set) {
		if ((support->plan_state == STORE_ISSUE_RESOLVED ||
		     support->plan_state == STORE_ISSUE_CLOSED) &&
		    is.state != support->plan_state)
			is.closed_at = now;
		is.state = support->plan_state;
	}
	if (support->plan_queue != NULL) {
		free(is.queue);
		is.queue = xstrdup(support->plan_queue);
	}
	/* a rule resolving or closing the issue tells the customer, as
	   `ackmail issue close` does: once, when it changes to done */
	tell = support->plan_state_set && !support->plan_state_quiet &&
	       !was_done &&
	       (is.state == STORE_ISSUE_RESOLVED ||
		is.state == STORE_ISSUE_CLOSED);
	r = store_issue_update(support->store, &is, error_r);
	store_issue_clear(&is);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	for (size_t i = 0; i < support->plan_tags.n; i++)
		if (store_issue_add_tag(support->store, number,
					support->plan_tags.v[i], error_r) < 0)
			return support_store_error(support, *error_r, error_r);
	if (!tell)
		return 0;
	/* the note: the rule's, else what a technician wrote */
	if (support->plan_state_note == NULL && (f->staff || f->tracking)) {
		free(support->plan_note_text);
		support->plan_note_text = msg_text_new(support->msg);
	}
	log_info("message-id=<%s> support: a rule set issue #%lld %s: "
		 "telling the customer",
		 f->message_id, (long long)number,
		 store_issue_state_name(support->plan_state));
	if (support->hooks.closed != NULL &&
	    support->hooks.closed(support->hooks.ctx, number, error_r) < 0)
		return -1;
	return 0;
}

static int
map_tickets(struct support *support, const struct strlist *l, int64_t number,
	    const char **error_r)
{
	for (size_t i = 0; i < l->n; i++) {
		char *sys = xstrdup(l->v[i]), *id = strchr(sys, '\t');
		int r;

		*id++ = '\0';
		r = store_issue_map_external(support->store, sys, id, number,
					     error_r);
		free(sys);
		if (r < 0)
			return support_store_error(support, *error_r, error_r);
	}
	return 0;
}

int
support_record(struct support *support, int64_t *issue_r, const char **error_r)
{
	struct support_facts *f = &support->facts;
	struct msg *msg = support->msg;
	struct store_message m;
	int64_t number = 0;
	bool opened = false, outgoing;
	char *irt;
	int r;

	if (issue_r != NULL)
		*issue_r = 0;
	if (!support->analyzed || support->store == NULL)
		return apply_fail(support,
				  xstrdup("support_record without "
					  "analysis or database"),
				  error_r);
	if (f->duplicate) {
		log_info("message-id=<%s> support: %s, nothing done",
			 f->message_id, f->match_reason);
		if (issue_r != NULL)
			*issue_r = f->issue;
		return 0;
	}
	outgoing = f->staff || f->tracking;
	memset(&m, 0, sizeof(m));
	m.message_id = (char *)f->message_id;
	m.outgoing = outgoing;
	irt = msg_header_get(msg, "In-Reply-To", false);
	m.in_reply_to = irt != NULL ? str_trim(irt) : NULL;
	m.refs = join(&support->refs, " ");
	m.from_addr = (char *)f->from_addr;
	m.to_addrs = addresses_of(msg);
	m.envelope_to = (char *)msg_envelope_to(msg);
	m.subject = (char *)msg_subject(msg);
	m.subject_key = msg_subject_normalize(m.subject);
	m.date = msg_date(msg) > 0 ? msg_date(msg) : 0;
	m.class = (char *)f->class_name;
	m.customer_id = f->customer_id;
	m.match_reason = NULL; /* set below, once decided */
	m.failed_recipient = (char *)f->failed_recipient;
	m.original_message_id = (char *)f->original_message_id;
	m.received_at = clock_now();
	m.body = f->robot ? NULL : msg_text_new(msg);
	/* first the row: a concurrent delivery of the same message loses
	   here and does nothing */
	r = store_message_add(support->store, &m, error_r);
	free(irt);
	free(m.refs);
	free(m.to_addrs);
	free(m.subject_key);
	free(m.body);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	if (r == 0) {
		f->duplicate = true;
		set_reason(support, xstrdup("duplicate: recorded by a "
					    "concurrent delivery"));
		log_info("message-id=<%s> support: %s", f->message_id,
			 f->match_reason);
		return 0;
	}
	/* match again inside the transaction: what other deliveries did
	   since the analysis counts */
	if (match_issue(support, error_r) < 0 ||
	    decide(support, &number, &opened, error_r) < 0)
		return -1;
	f->issue = number;
	if (store_message_set_issue(support->store, f->message_id, number,
				    f->match_reason, error_r) < 0)
		return support_store_error(support, *error_r, error_r);
	if (number != 0) {
		if (store_message_ref_add(support->store, f->message_id, number,
					  error_r) < 0)
			return support_store_error(support, *error_r, error_r);
		for (size_t i = 0; !f->robot && i < support->refs.n; i++)
			if (store_message_ref_add(support->store,
						  support->refs.v[i], number,
						  error_r) < 0)
				return support_store_error(support, *error_r,
							   error_r);
		if (update_issue(support, number, outgoing, error_r) < 0 ||
		    map_tickets(support, &support->tickets_found, number,
				error_r) < 0 ||
		    map_tickets(support, &support->plan_tickets, number,
				error_r) < 0)
			return -1;
	}
	log_info("message-id=<%s> support: class=%s (%s) issue=%lld%s: %s",
		 f->message_id, f->class_name, f->class_reason,
		 (long long)number, opened ? " (new)" : "", f->match_reason);
	if (f->tracking && support->plan_notice &&
	    support->hooks.tracking != NULL &&
	    support->hooks.tracking(support->hooks.ctx, msg, f, number,
				    error_r) < 0)
		return -1;
	if (support->hooks.recorded != NULL &&
	    support->hooks.recorded(support->hooks.ctx, msg, f, number, opened,
				    error_r) < 0)
		return -1;
	if (issue_r != NULL)
		*issue_r = number;
	return 1;
}

/* ---- commands ---- */

int
support_issue_set_state(struct support *support, int64_t number,
			enum store_issue_state state, bool tell,
			const char **error_r)
{
	struct store_issue is;
	int r;

	if ((r = issue_load(support, number, &is, error_r)) <= 0)
		return r;
	if ((state == STORE_ISSUE_RESOLVED || state == STORE_ISSUE_CLOSED) &&
	    is.state != STORE_ISSUE_RESOLVED && is.state != STORE_ISSUE_CLOSED)
		is.closed_at = clock_now();
	if (state == STORE_ISSUE_OPEN || state == STORE_ISSUE_WAITING)
		is.closed_at = 0;
	is.state = state;
	r = store_issue_update(support->store, &is, error_r);
	store_issue_clear(&is);
	if (r < 0)
		return support_store_error(support, *error_r, error_r);
	if (tell &&
	    (state == STORE_ISSUE_RESOLVED || state == STORE_ISSUE_CLOSED) &&
	    support->hooks.closed != NULL &&
	    support->hooks.closed(support->hooks.ctx, number, error_r) < 0)
		return -1;
	return 1;
}
