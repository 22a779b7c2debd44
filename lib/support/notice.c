/*
 * notice.c - the life of a change notice: recorded as waiting, ended by
 * the customer's answer (acknowledged), an out-of-office reply (away), a
 * bounce (undeliverable) or the deadline (escalated: call them); a read
 * receipt only marks it seen. Every change is kept in notice_events.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "support.h"

#ifndef ACKMAIL_DATADIR
#define ACKMAIL_DATADIR "/usr/local/share/ackmail"
#endif

struct notices {
	struct store *store;
	struct notice_time time;
	char *deadline_spec;
	char *lead_spec;
	long reminder; /* seconds before the deadline, 0: none */
	bool read_receipt_acknowledges;
	char *on_duty;
	struct strlist staff;
	struct strlist support_addrs;
	char *tracking;
	char *name;
	char *phone;		 /* [support] phone */
	char *template_dir;	 /* [ack] template_dir */
	char *reminder_template; /* [notices] reminder_template */
	char *on_duty_template;	 /* [notices] on_duty_template */
	char *lang;		 /* [notices] lang */
	struct notice_mailer mailer;
	int queued; /* mails queued by this engine */
	char errbuf[512];
};

/* States from which a notice can still end. */
#define OPEN_STATES    "waiting,seen,away,undeliverable,escalated"
#define WAITING_STATES "waiting,seen"

static int ATTR_PRINTF(3, 4)
    fail(struct notices *ns, const char **error_r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ns->errbuf, sizeof(ns->errbuf), fmt, ap);
	va_end(ap);
	*error_r = ns->errbuf;
	return -1;
}

/* A string setting, def when unset or empty. Caller frees. */
static char *
conf_str(const struct config *config, const char *section, const char *key,
	 const char *def)
{
	const char *v = config_get(config, section, NULL, key);

	return xstrdup(v != NULL && *v != '\0' ? v : def);
}

int
notices_init(const struct config *config, struct store *store,
	     struct notices **notices_r, const char **error_r)
{
	struct notices *ns = xcalloc(1, sizeof(*ns));
	const char *v;
	bool b;

	ns->store = store;
	*notices_r = NULL;
	if (notice_time_init(&ns->time, config, error_r) < 0) {
		snprintf(ns->errbuf, sizeof(ns->errbuf), "%s", *error_r);
		*error_r = ns->errbuf;
		goto fail;
	}
	ns->deadline_spec =
	    xstrdup(config_get_default(config, "notices", "deadline", "48h"));
	ns->lead_spec =
	    xstrdup(config_get_default(config, "notices", "lead_time", "1d"));
	if (notice_time_deadline(&ns->time, 0, ns->deadline_spec, NULL,
				 (time_t)-1, NULL, &(time_t){0}, error_r) < 0) {
		fail(ns, error_r, "[notices] deadline: %s", *error_r);
		goto fail;
	}
	if (config_get_duration(config, "notices", "reminder", 0,
				&ns->reminder) < 0) {
		fail(ns, error_r, "[notices] reminder: expected a duration");
		goto fail;
	}
	if (config_get_bool(config, "notices", "read_receipt_acknowledges",
			    false, &b) < 0) {
		fail(ns, error_r,
		     "[notices] read_receipt_acknowledges: "
		     "expected yes or no");
		goto fail;
	}
	ns->read_receipt_acknowledges = b;
	/* who is told of escalations: [notices] on_duty, else whoever reads
	   the digest */
	if (((v = config_get(config, "notices", NULL, "on_duty")) != NULL &&
	     *v != '\0') ||
	    ((v = config_get(config, "digest", NULL, "to")) != NULL &&
	     *v != '\0'))
		ns->on_duty = xstrdup(v);
	if ((v = config_get(config, "support", NULL, "staff")) != NULL)
		strlist_split(&ns->staff, v, " ,\t");
	for (size_t i = 0; i < ns->staff.n; i++)
		str_lower(ns->staff.v[i]);
	if ((v = config_get(config, "support", NULL, "address")) != NULL)
		strlist_split(&ns->support_addrs, v, " ,\t");
	for (size_t i = 0; i < ns->support_addrs.n; i++)
		str_lower(ns->support_addrs.v[i]);
	if ((v = config_get(config, "support", NULL, "tracking_address")) !=
		NULL &&
	    *v != '\0')
		ns->tracking = str_lower(xstrdup(v));
	ns->name =
	    xstrdup(config_get_default(config, "support", "name", "Support"));
	if ((v = config_get(config, "support", NULL, "phone")) != NULL &&
	    *v != '\0')
		ns->phone = xstrdup(v);
	ns->template_dir = conf_str(config, "ack", "template_dir",
				    ACKMAIL_DATADIR "/rules/templates");
	ns->reminder_template = conf_str(config, "notices", "reminder_template",
					 NOTICES_REMINDER_TEMPLATE);
	ns->on_duty_template = conf_str(config, "notices", "on_duty_template",
					NOTICES_ON_DUTY_TEMPLATE);
	ns->lang = conf_str(config, "notices", "lang", "en");
	*notices_r = ns;
	return 0;
fail : {
	/* the error text lives in ns: keep a static copy */
	static char saved[512];

	snprintf(saved, sizeof(saved), "%s", *error_r);
	*error_r = saved;
	notices_deinit(&ns);
	return -1;
}
}

void
notices_deinit(struct notices **nsp)
{
	struct notices *ns = *nsp;

	if (ns == NULL)
		return;
	notice_time_deinit(&ns->time);
	free(ns->deadline_spec);
	free(ns->lead_spec);
	free(ns->on_duty);
	strlist_free(&ns->staff);
	strlist_free(&ns->support_addrs);
	free(ns->tracking);
	free(ns->name);
	free(ns->phone);
	free(ns->template_dir);
	free(ns->reminder_template);
	free(ns->on_duty_template);
	free(ns->lang);
	free(ns);
	*nsp = NULL;
}

void
notices_set_mailer(struct notices *ns, const struct notice_mailer *mailer)
{
	ns->mailer = *mailer;
}

const struct notice_time *
notices_time(const struct notices *ns)
{
	return &ns->time;
}

struct store *
notices_store(const struct notices *ns)
{
	return ns->store;
}

int
notices_queued(const struct notices *ns)
{
	return ns->queued;
}

const char *
notices_lang(const struct notices *ns)
{
	return ns->lang;
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : NULL;
}

bool
notices_is_staff(const struct notices *ns, const char *addr)
{
	const char *dom = domain_of(addr);

	for (size_t i = 0; i < ns->staff.n; i++) {
		const char *s = ns->staff.v[i];

		if (s[0] == '@') {
			if (dom != NULL && strcasecmp(dom, s + 1) == 0)
				return true;
		} else if (strcasecmp(s, addr) == 0)
			return true;
	}
	return false;
}

/* addr is base, or base with a "+notice..." detail. */
static bool
is_notice_subaddress(const char *addr, const char *base, bool plain_ok)
{
	const char *at = strrchr(addr, '@'), *bat = strrchr(base, '@');
	size_t blocal;

	if (strcasecmp(addr, base) == 0)
		return plain_ok;
	if (at == NULL || bat == NULL || strcasecmp(at, bat) != 0)
		return false;
	blocal = (size_t)(bat - base);
	return (size_t)(at - addr) > blocal &&
	       strncasecmp(addr, base, blocal) == 0 &&
	       str_has_prefix_case(addr + blocal, "+notice");
}

bool
notices_is_tracking(const struct notices *ns, const char *addr)
{
	if (addr == NULL)
		return false;
	if (ns->tracking != NULL &&
	    is_notice_subaddress(addr, ns->tracking, true))
		return true;
	for (size_t i = 0; i < ns->support_addrs.n; i++)
		if (is_notice_subaddress(addr, ns->support_addrs.v[i], false))
			return true;
	return false;
}

bool
notices_is_ours(const struct notices *ns, const char *addr)
{
	if (notices_is_tracking(ns, addr) || notices_is_staff(ns, addr))
		return true;
	for (size_t i = 0; i < ns->support_addrs.n; i++) {
		const char *at = strrchr(ns->support_addrs.v[i], '@');
		const char *aat = strrchr(addr, '@');

		if (strcasecmp(addr, ns->support_addrs.v[i]) == 0)
			return true;
		/* support+anything@ is ours too */
		if (at != NULL && aat != NULL && strcasecmp(at, aat) == 0 &&
		    strncasecmp(addr, ns->support_addrs.v[i],
				(size_t)(at - ns->support_addrs.v[i])) == 0 &&
		    addr[at - ns->support_addrs.v[i]] == '+')
			return true;
	}
	return false;
}

void
notices_span_text(long s, char *buf, size_t size)
{
	if (s < 0)
		s = 0;
	if (s % 86400 == 0 && s >= 86400 && s != 86400 * 2)
		snprintf(buf, size, "%ld day%s", s / 86400,
			 s == 86400 ? "" : "s");
	else if (s % 3600 == 0 && s >= 3600)
		snprintf(buf, size, "%ld h", s / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%ld h %ld min", s / 3600, (s % 3600) / 60);
	else
		snprintf(buf, size, "%ld min", (s + 59) / 60);
}

int
notices_subject_tag(const char *subject, int64_t *issue_r)
{
	const char *p = subject;

	while (p != NULL && (p = strstr(p, "[#")) != NULL) {
		char *end;
		long long v;

		p += 2;
		if (!isdigit((unsigned char)*p))
			continue;
		v = strtoll(p, &end, 10);
		if (*end == ']' && v > 0) {
			*issue_r = (int64_t)v;
			return 1;
		}
	}
	return 0;
}

char *
notices_excerpt(const char *text, size_t max)
{
	struct str out = STR_INIT;
	const char *p = text != NULL ? text : "";
	int lines = 0;

	while (*p != '\0' && lines < 3 && out.len < max) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *line = xstrndup(p, n);

		str_trim(line);
		if (*line != '\0' && line[0] != '>') {
			if (out.len > 0)
				str_appendc(&out, ' ');
			str_append(&out, line);
			lines++;
		}
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
	if (out.len > max) {
		size_t n = max;

		/* cut at a character boundary */
		while (n > 0 && ((unsigned char)out.s[n] & 0xc0) == 0x80)
			n--;
		str_truncate(&out, n);
		str_append(&out, "...");
	}
	if (out.s == NULL)
		str_append(&out, "");
	return str_steal(&out);
}

bool
notices_text_is_question(const char *text)
{
	char *ex = notices_excerpt(text, 400);
	bool q = strchr(ex, '?') != NULL ||
		 strstr(ex, "\xef\xbc\x9f") != NULL; /* fullwidth ? */

	free(ex);
	return q;
}

/* Sets the state, writes the notice and one history line. */
static int
transition(struct notices *ns, struct store_notice *n, const char *state,
	   time_t at, const char *note, const char *message_id,
	   const char **error_r)
{
	free(n->state);
	n->state = xstrdup(state);
	n->updated_at = at;
	if (store_notice_update(ns->store, n, error_r) < 0)
		return -1;
	return store_notice_event(ns->store, n->id, at, state, note, message_id,
				  error_r);
}

int
notices_deadline(struct notices *ns, time_t sent_at, const char *spec,
		 time_t change_at, time_t *deadline_r, const char **error_r)
{
	return notice_time_deadline(
	    &ns->time, sent_at, spec != NULL ? spec : ns->deadline_spec, NULL,
	    change_at, ns->lead_spec, deadline_r, error_r);
}

int
notices_record(struct notices *ns, const struct notice_new *nn, int64_t *id_r,
	       const char **error_r)
{
	struct store_notice n;
	char dl[64], note[256];
	int r;

	memset(&n, 0, sizeof(n));
	n.customer = nn->customer;
	n.issue = nn->issue;
	n.to = (char *)nn->to;
	n.to_name = (char *)nn->to_name;
	n.cc = (char *)nn->cc;
	n.subject = (char *)nn->subject;
	n.message_id = (char *)nn->message_id;
	n.sender = (char *)nn->sender;
	n.source = (char *)nn->source;
	n.sent_at = nn->sent_at;
	n.change_at = nn->change_at == (time_t)-1 ? 0 : nn->change_at;
	n.state = (char *)"waiting";
	if (notices_deadline(ns, nn->sent_at, nn->deadline, nn->change_at,
			     &n.deadline, error_r) < 0)
		return -1;
	if ((r = store_notice_add(ns->store, &n, error_r)) < 0)
		return -1;
	*id_r = n.id;
	if (r == 0)
		return 0;
	notice_time_format(&ns->time, n.deadline, "%a %d %b %Y %H:%M %Z", dl,
			   sizeof(dl));
	snprintf(note, sizeof(note), "sent to %s, answer due %s", nn->to, dl);
	if (store_notice_event(ns->store, n.id, nn->sent_at, "waiting", note,
			       nn->message_id, error_r) < 0)
		return -1;
	return 1;
}

/* ---- matching a reply to the notices it answers ---- */

static bool
in_states(const struct store_notice *n, const char *states)
{
	size_t len = strlen(n->state);
	const char *p = states;

	while ((p = strstr(p, n->state)) != NULL) {
		if ((p == states || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* Display names compared case-insensitively, whitespace squeezed. */
static bool
same_name(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	while (*a == ' ' || *a == '"')
		a++;
	while (*b == ' ' || *b == '"')
		b++;
	if (*a == '\0' || *b == '\0')
		return false;
	while (*a != '\0' && *b != '\0') {
		if (isspace((unsigned char)*a) && isspace((unsigned char)*b)) {
			while (isspace((unsigned char)*a))
				a++;
			while (isspace((unsigned char)*b))
				b++;
			continue;
		}
		if (*a == '"') {
			a++;
			continue;
		}
		if (*b == '"') {
			b++;
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	while (*a == ' ' || *a == '"')
		a++;
	while (*b == ' ' || *b == '"')
		b++;
	return *a == '\0' && *b == '\0';
}

/* How closely the sender relates to notice n: 3 same address, 2 same
   customer (by the customer records, or by name: another address of the
   same person), 1 same domain, 0 not at all. */
static int
relation(const struct notice_reply *r, const char *addr,
	 const struct store_notice *n)
{
	const char *d1, *d2;

	if (addr == NULL || *addr == '\0')
		return 0;
	if (strcasecmp(addr, n->to) == 0)
		return 3;
	if (r->customer != 0 && r->customer == n->customer)
		return 2;
	if (same_name(r->from_name, n->to_name))
		return 2;
	d1 = domain_of(addr);
	d2 = domain_of(n->to);
	if (d1 != NULL && d2 != NULL && strcasecmp(d1, d2) == 0)
		return 1;
	return 0;
}

static void
list_take(struct store_notice_list *dst, struct store_notice *n)
{
	if (dst->n == dst->cap) {
		dst->cap = dst->cap == 0 ? 4 : dst->cap * 2;
		dst->v = xreallocarray(dst->v, dst->cap, sizeof(*dst->v));
	}
	dst->v[dst->n++] = *n;
	memset(n, 0, sizeof(*n));
}

/* Keeps the candidates best related to addr (bounces: the failed
   recipient; when unknown, every candidate). */
static void
filter_related(const struct notice_reply *r, const char *addr,
	       struct store_notice_list *cands, bool keep_unrelated)
{
	struct store_notice_list out = {0};
	int best = 0;

	for (size_t i = 0; i < cands->n; i++) {
		int rel = relation(r, addr, &cands->v[i]);

		if (rel > best)
			best = rel;
	}
	if (best == 0 && keep_unrelated)
		return;
	for (size_t i = 0; i < cands->n; i++) {
		if (best > 0 && relation(r, addr, &cands->v[i]) == best)
			list_take(&out, &cands->v[i]);
	}
	store_notice_list_free(cands);
	*cands = out;
}

/* Keeps only the most recently sent candidate (ties: all of the same
   Message-ID). */
static void
keep_latest(struct store_notice_list *cands)
{
	struct store_notice_list out = {0};
	size_t best = 0;

	if (cands->n <= 1)
		return;
	for (size_t i = 1; i < cands->n; i++)
		if (cands->v[i].sent_at > cands->v[best].sent_at ||
		    (cands->v[i].sent_at == cands->v[best].sent_at &&
		     cands->v[i].id > cands->v[best].id))
			best = i;
	list_take(&out, &cands->v[best]);
	store_notice_list_free(cands);
	*cands = out;
}

/* Open notices sent to addr (most recent last), sent before at. */
static int
find_by_address(struct notices *ns, const char *addr, time_t at,
		struct store_notice_list *cands, const char **error_r)
{
	struct store_notice_list all = {0};
	struct store_notice_query q = {.states = OPEN_STATES};

	if (addr == NULL || *addr == '\0')
		return 0;
	if (store_notice_find(ns->store, &q, &all, error_r) < 0)
		return -1;
	for (size_t i = 0; i < all.n; i++)
		if (strcasecmp(all.v[i].to, addr) == 0 &&
		    all.v[i].sent_at <= at)
			list_take(cands, &all.v[i]);
	store_notice_list_free(&all);
	return 0;
}

/* 1 when we sent other mail on the candidates' issue after the latest
   candidate notice (and before at): a reply found only by its tag then
   answers that mail (a resolution, a question), not the notice. */
static int
later_mail_of_ours(struct notices *ns, const struct store_notice_list *cands,
		   time_t at, const char **error_r)
{
	const struct store_notice *latest = &cands->v[0];
	struct store_message *v = NULL;
	size_t n = 0;
	int found = 0;

	for (size_t i = 1; i < cands->n; i++)
		if (cands->v[i].sent_at > latest->sent_at)
			latest = &cands->v[i];
	if (latest->issue == 0)
		return 0;
	if (store_message_list(ns->store, latest->issue, &v, &n, error_r) < 0)
		return 0; /* no support core records: nothing to compare */
	for (size_t i = 0; i < n; i++) {
		struct store_notice_list same = {0};
		struct store_notice_query q = {0};

		if (!v[i].outgoing || v[i].received_at <= latest->sent_at ||
		    v[i].received_at > at || found)
			continue;
		q.message_id = v[i].message_id;
		if (store_notice_find(ns->store, &q, &same, error_r) == 0)
			found = 1;
		store_notice_list_free(&same);
	}
	for (size_t i = 0; i < n; i++)
		store_message_clear(&v[i]);
	free(v);
	return found;
}

/* Keeps the candidates whose subject is the reply's (reply prefixes and
   tags aside); returns how many, leaving the list alone when none. */
static size_t
keep_same_subject(const struct notice_reply *r, struct store_notice_list *cands)
{
	struct store_notice_list out = {0};
	char *key;

	if (r->subject == NULL || cands->n == 0)
		return 0;
	key = msg_subject_normalize(r->subject);
	if (*key != '\0')
		for (size_t i = 0; i < cands->n; i++) {
			char *k = msg_subject_normalize(cands->v[i].subject);

			if (strcmp(k, key) == 0)
				list_take(&out, &cands->v[i]);
			free(k);
		}
	free(key);
	if (out.n == 0)
		return 0;
	store_notice_list_free(cands);
	*cands = out;
	return out.n;
}

/* The notices this message is about: by the parent's Message-ID (or a
   report's original Message-ID), else by the subject tag, else (robots
   only) by the address the robot speaks for. */
static int
find_candidates(struct notices *ns, const struct notice_reply *r,
		struct store_notice_list *cands, bool *by_id_r,
		const char **error_r)
{
	struct store_notice_query q = {0};

	*by_id_r = false;
	if (r->original_message_id != NULL) {
		q.message_id = r->original_message_id;
		if (store_notice_find(ns->store, &q, cands, error_r) < 0)
			return -1;
		if (cands->n > 0) {
			*by_id_r = true;
			return 0;
		}
	}
	for (size_t i = r->parents != NULL ? r->parents->n : 0; i > 0; i--) {
		q.message_id = r->parents->v[i - 1];
		if (store_notice_find(ns->store, &q, cands, error_r) < 0)
			return -1;
		if (cands->n == 0) {
			/* an answer to the notice's reminder */
			q.message_id = NULL;
			q.reminder_id = r->parents->v[i - 1];
			if (store_notice_find(ns->store, &q, cands, error_r) <
			    0)
				return -1;
			q.reminder_id = NULL;
		}
		if (cands->n > 0) {
			*by_id_r = true;
			return 0;
		}
	}
	/* a reply to another message (or a report about one) is not about
	   a notice, even when it carries the issue's tag: the customer
	   thanking us for a resolution, an out-of-office answering it */
	if (r->threaded || r->original_message_id != NULL)
		return 0;
	if (r->issue != 0) {
		struct store_notice_list all = {0};

		q.message_id = NULL;
		q.states = OPEN_STATES;
		if (store_notice_find(ns->store, &q, &all, error_r) < 0)
			return -1;
		/* the notice's issue, or the tag its subject carried (mail
		   from before the issue was known here) */
		for (size_t i = 0; i < all.n; i++) {
			int64_t tag = 0;

			if (all.v[i].sent_at > r->at)
				continue;
			if (all.v[i].issue == r->issue ||
			    (notices_subject_tag(all.v[i].subject, &tag) == 1 &&
			     tag == r->issue))
				list_take(cands, &all.v[i]);
		}
		store_notice_list_free(&all);
		/* the same subject names the notice among those of the
		   issue; without it, a later mail of ours is the likelier
		   parent */
		if (keep_same_subject(r, cands) == 0 && cands->n > 0 &&
		    later_mail_of_ours(ns, cands, r->at, error_r) == 1)
			store_notice_list_free(cands);
		/* the tag names what the message is about: no guessing by
		   address when that is not a notice */
		return 0;
	}
	if (r->kind == NOTICE_REPLY_HUMAN) {
		/* no thread, no tag: the same subject from the same
		   person */
		if (find_by_address(ns, r->from, r->at, cands, error_r) < 0)
			return -1;
		if (keep_same_subject(r, cands) == 0)
			store_notice_list_free(cands);
		return 0;
	}
	if (r->kind == NOTICE_REPLY_BOUNCE)
		return find_by_address(ns, r->failed_recipient, r->at, cands,
				       error_r);
	if (r->kind == NOTICE_REPLY_AUTOREPLY || r->kind == NOTICE_REPLY_MDN) {
		/* a robot answers the last mail it got: when that was not
		   the notice, it is not about the notice */
		if (find_by_address(ns, r->from, r->at, cands, error_r) < 0)
			return -1;
		if (cands->n > 0) {
			time_t latest = 0;
			int later;

			for (size_t i = 0; i < cands->n; i++)
				if (cands->v[i].sent_at > latest)
					latest = cands->v[i].sent_at;
			later = store_notice_later_mail(ns->store, r->from,
							latest, r->at, error_r);
			if (later != 0)
				store_notice_list_free(cands);
			if (later < 0)
				return -1;
		}
		return 0;
	}
	return 0;
}

static int
apply_ack(struct notices *ns, struct store_notice *n,
	  const struct notice_reply *r, const char *how, const char **error_r)
{
	char *ex = notices_excerpt(r->text, 200);
	char note[512];

	free(n->ack_by);
	n->ack_by = xstrdup(r->from != NULL ? r->from : "");
	n->ack_at = r->at;
	free(n->ack_excerpt);
	n->ack_excerpt = ex;
	snprintf(note, sizeof(note), "%s from %s: %s", how, n->ack_by, ex);
	return transition(ns, n, "acknowledged", r->at, note, r->message_id,
			  error_r);
}

static int
apply_one(struct notices *ns, struct store_notice *n,
	  const struct notice_reply *r, const char **error_r)
{
	char note[512], date[64];

	switch (r->kind) {
	case NOTICE_REPLY_HUMAN:
		if (!in_states(n, OPEN_STATES))
			return 0;
		if (notices_text_is_question(r->text)) {
			char *ex = notices_excerpt(r->text, 200);

			snprintf(note, sizeof(note),
				 "question from %s, not an acknowledgement: %s",
				 r->from, ex);
			free(ex);
			if (store_notice_event(ns->store, n->id, r->at,
					       n->state, note, r->message_id,
					       error_r) < 0)
				return -1;
			return 0;
		}
		return apply_ack(ns, n, r, "reply", error_r) < 0 ? -1 : 1;
	case NOTICE_REPLY_CALENDAR:
		if (!in_states(n, OPEN_STATES))
			return 0;
		if (r->partstat != NULL &&
		    strcasecmp(r->partstat, "ACCEPTED") == 0) {
			struct notice_reply rr = *r;

			rr.text = "accepted the invitation";
			return apply_ack(ns, n, &rr, "calendar", error_r) < 0
				   ? -1
				   : 1;
		}
		snprintf(note, sizeof(note),
			 "calendar reply from %s: %s (not an "
			 "acknowledgement)",
			 r->from, r->partstat != NULL ? r->partstat : "?");
		return store_notice_event(ns->store, n->id, r->at, n->state,
					  note, r->message_id, error_r) < 0
			   ? -1
			   : 0;
	case NOTICE_REPLY_AUTOREPLY:
		if (!in_states(n, WAITING_STATES))
			return 0;
		n->away_until = r->away_until;
		if (r->away_until != 0) {
			notice_time_format(&ns->time, r->away_until,
					   "%a %d %b %Y", date, sizeof(date));
			snprintf(note, sizeof(note), "out of office until %s",
				 date);
		} else
			snprintf(note, sizeof(note), "out of office");
		free(n->reason);
		n->reason = xstrdup(note);
		n->escalated_at = r->at;
		return transition(ns, n, "away", r->at, note, r->message_id,
				  error_r) < 0
			   ? -1
			   : 1;
	case NOTICE_REPLY_BOUNCE:
		if (!in_states(n, "waiting,seen,away,escalated"))
			return 0;
		snprintf(note, sizeof(note), "bounced: %s could not be reached",
			 r->failed_recipient != NULL ? r->failed_recipient
						     : n->to);
		free(n->reason);
		n->reason = xstrdup(note);
		if (n->escalated_at == 0)
			n->escalated_at = r->at;
		return transition(ns, n, "undeliverable", r->at, note,
				  r->message_id, error_r) < 0
			   ? -1
			   : 1;
	case NOTICE_REPLY_MDN:
		if (!in_states(n, "waiting"))
			return 0;
		if (ns->read_receipt_acknowledges) {
			struct notice_reply rr = *r;

			rr.text = "read receipt";
			return apply_ack(ns, n, &rr, "read receipt", error_r) <
				       0
				   ? -1
				   : 1;
		}
		snprintf(note, sizeof(note), "read receipt from %s", r->from);
		return transition(ns, n, "seen", r->at, note, r->message_id,
				  error_r) < 0
			   ? -1
			   : 1;
	}
	return 0;
}

int
notices_reply(struct notices *ns, const struct notice_reply *r,
	      const char **error_r)
{
	struct store_notice_list cands = {0};
	bool by_id;
	int changed = 0;

	if (find_candidates(ns, r, &cands, &by_id, error_r) < 0)
		return -1;
	if (cands.n == 0)
		return 0;
	if (r->kind == NOTICE_REPLY_BOUNCE)
		filter_related(r, r->failed_recipient, &cands, true);
	else
		filter_related(r, r->from, &cands, false);
	/* by tag or address: only the latest notice is the one answered */
	if (!by_id)
		keep_latest(&cands);
	for (size_t i = 0; i < cands.n; i++) {
		int ret = apply_one(ns, &cands.v[i], r, error_r);

		if (ret < 0) {
			store_notice_list_free(&cands);
			return -1;
		}
		changed += ret;
	}
	store_notice_list_free(&cands);
	return changed;
}

/* ---- by hand ---- */

static int
get_one(struct notices *ns, int64_t id, struct store_notice *n,
	const char **error_r)
{
	struct store_notice_list l = {0};
	struct store_notice_query q = {.id = id};
	int r;

	if (id <= 0)
		return 0;
	r = store_notice_find(ns->store, &q, &l, error_r);
	if (r < 0)
		return -1;
	if (l.n == 0) {
		store_notice_list_free(&l);
		return 0;
	}
	*n = l.v[0];
	memset(&l.v[0], 0, sizeof(l.v[0]));
	store_notice_list_free(&l);
	return 1;
}

int
notices_ack(struct notices *ns, int64_t id, const char *who, const char *note,
	    time_t now, const char **error_r)
{
	struct store_notice n;
	struct notice_reply r = {.kind = NOTICE_REPLY_HUMAN, .at = now};
	int ret;

	if ((ret = get_one(ns, id, &n, error_r)) <= 0)
		return ret;
	if (!in_states(&n, OPEN_STATES)) {
		store_notice_clear(&n);
		return 0;
	}
	r.from = who != NULL ? who : "by hand";
	r.text = note != NULL ? note : "acknowledged by hand";
	ret = apply_ack(ns, &n, &r, "by hand", error_r) < 0 ? -1 : 1;
	store_notice_clear(&n);
	return ret;
}

static int
end_by_hand(struct notices *ns, int64_t id, const char *state, const char *note,
	    time_t now, const char **error_r)
{
	struct store_notice n;
	int ret;

	if ((ret = get_one(ns, id, &n, error_r)) <= 0)
		return ret;
	if (!in_states(&n, OPEN_STATES)) {
		store_notice_clear(&n);
		return 0;
	}
	ret = transition(ns, &n, state, now, note, NULL, error_r) < 0 ? -1 : 1;
	store_notice_clear(&n);
	return ret;
}

int
notices_called(struct notices *ns, int64_t id, const char *note, time_t now,
	       const char **error_r)
{
	return end_by_hand(ns, id, "called",
			   note != NULL ? note : "called the customer", now,
			   error_r);
}

int
notices_close(struct notices *ns, int64_t id, const char *note, time_t now,
	      const char **error_r)
{
	return end_by_hand(ns, id, "closed", note != NULL ? note : "closed",
			   now, error_r);
}

/* ---- escalation and reminders ---- */

void
notices_append_header(struct str *out, const char *name, const char *value)
{
	bool ascii = true;

	for (const char *p = value; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = false;
	str_printf(out, "%s: ", name);
	if (ascii) {
		str_append(out, value);
	} else {
		/* RFC 2047 B words of at most 45 input bytes, split at
		   character boundaries */
		static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
					  "ghijklmnopqrstuvwxyz0123456789+/";
		size_t len = strlen(value), i = 0;

		while (i < len) {
			size_t n = len - i > 45 ? 45 : len - i;

			while (i + n < len &&
			       ((unsigned char)value[i + n] & 0xc0) == 0x80)
				n--;
			if (i > 0)
				str_append(out, "\n ");
			str_append(out, "=?UTF-8?B?");
			for (size_t k = 0; k < n; k += 3) {
				const unsigned char *s =
				    (const unsigned char *)value + i + k;
				size_t m = n - k;
				unsigned v = (unsigned)s[0] << 16 |
					     (m > 1 ? (unsigned)s[1] << 8 : 0) |
					     (m > 2 ? s[2] : 0);

				str_appendc(out, b64[(v >> 18) & 63]);
				str_appendc(out, b64[(v >> 12) & 63]);
				str_appendc(out,
					    m > 1 ? b64[(v >> 6) & 63] : '=');
				str_appendc(out, m > 2 ? b64[v & 63] : '=');
			}
			str_append(out, "?=");
			i += n;
		}
	}
	str_append(out, "\n");
}

/* The common header block of mail we send (no Auto-Submitted: replies
   from out-of-office robots are exactly what a notice wants to see). */
void
notices_compose_head(struct str *out, const char *from, const char *to,
		     const char *cc, const char *subject,
		     const char *message_id, const char *in_reply_to,
		     time_t date)
{
	char d[64];

	clock_rfc5322(date, d, sizeof(d));
	notices_append_header(out, "From", from);
	notices_append_header(out, "To", to);
	if (cc != NULL && *cc != '\0')
		notices_append_header(out, "Cc", cc);
	notices_append_header(out, "Subject", subject);
	str_printf(out, "Date: %s\n", d);
	str_printf(out, "Message-ID: <%s>\n", message_id);
	if (in_reply_to != NULL)
		str_printf(out, "In-Reply-To: <%s>\nReferences: <%s>\n",
			   in_reply_to, in_reply_to);
	str_append(out, "MIME-Version: 1.0\n");
}

static int
send_text(struct notices *ns, const char *to, const char *subject,
	  const char *body, int64_t issue, const char *kind,
	  const char *in_reply_to, time_t now, char **mid_r,
	  const char **error_r)
{
	struct str msg = STR_INIT, to_hdr = STR_INIT;
	struct strlist rcpts = {0};
	char *from, *mid;
	int r;

	if (ns->mailer.queue == NULL)
		return fail(ns, error_r, "no outbox to send mail through");
	/* on_duty may name several addresses */
	strlist_split(&rcpts, to, " ,\t");
	if (rcpts.n == 0) {
		strlist_free(&rcpts);
		return fail(ns, error_r, "no address to send %s to", kind);
	}
	for (size_t i = 0; i < rcpts.n; i++)
		str_printf(&to_hdr, "%s%s", i > 0 ? ", " : "", rcpts.v[i]);
	from = xasprintf("%s <%s>", ns->name,
			 ns->support_addrs.n > 0 ? ns->support_addrs.v[0]
						 : "postmaster");
	mid = ns->mailer.message_id != NULL
		  ? ns->mailer.message_id(ns->mailer.ctx, issue, kind)
		  : xasprintf("ackmail.%s.%lld.%lld@localhost", kind,
			      (long long)issue, (long long)now);
	notices_compose_head(&msg, from, str_c(&to_hdr), NULL, subject, mid,
			     in_reply_to, now);
	str_append(&msg, "Content-Type: text/plain; charset=utf-8\n"
			 "Content-Transfer-Encoding: 8bit\n\n");
	str_append(&msg, body);
	if (msg.len > 0 && msg.s[msg.len - 1] != '\n')
		str_appendc(&msg, '\n');
	r = ns->mailer.queue(ns->mailer.ctx, kind,
			     ns->support_addrs.n > 0 ? ns->support_addrs.v[0]
						     : "",
			     &rcpts, msg.s, msg.len, mid, issue, error_r);
	strlist_free(&rcpts);
	str_free(&msg);
	str_free(&to_hdr);
	free(from);
	if (r == 0 && mid_r != NULL)
		*mid_r = mid;
	else
		free(mid);
	if (r == 0)
		ns->queued++;
	return r;
}

/* ---- the texts: templates, with the built-in text as the fallback ---- */

const char *const notices_notice_vars[] = {
    "notice",	      "customer_name", "company",   "customer",
    "customer_email", "phones",	       "subject",   "issue",
    "sent_at",	      "deadline",      "change_at", "reason",
    "support_name",   "support_phone", NULL,
};

const char *const notices_on_duty_vars[] = {
    "count", "customers", "notices", "support_name", "support_phone", NULL,
};

static const char *const de_days[] = {"Sonntag",  "Montag",	"Dienstag",
				      "Mittwoch", "Donnerstag", "Freitag",
				      "Samstag"};

void
notices_time_text(const struct notice_time *nt, const char *lang, time_t t,
		  char *buf, size_t size)
{
	if (lang == NULL || strcmp(lang, "en") == 0)
		notice_time_format(nt, t, "%A %d %B %Y, %H:%M %Z", buf, size);
	else if (strcmp(lang, "de") == 0) {
		struct tm tm;
		char rest[64];

		notice_time_local(nt, t, &tm);
		notice_time_format(nt, t, "%d.%m.%Y, %H:%M %Z", rest,
				   sizeof(rest));
		snprintf(
		    buf, size, "%s, %s",
		    de_days[tm.tm_wday >= 0 && tm.tm_wday < 7 ? tm.tm_wday : 0],
		    rest);
	} else
		notice_time_format(nt, t, "%Y-%m-%d %H:%M %Z", buf, size);
}

/* The values of one notice for a template (notices_notice_vars). */
struct notice_text {
	struct store_customer c;
	bool have;
	char *customer, *phones;
	char id[32], issue[32], sent[96], deadline[96], change[96];
	struct tmpl_var vars[14];
};

static void
notice_text_init(struct notices *ns, const struct store_notice *n,
		 struct notice_text *t)
{
	const char *e = NULL;
	const char *name;
	struct str ph = STR_INIT;
	struct strlist l = {0};
	size_t i = 0;

	memset(t, 0, sizeof(*t));
	if (n->customer != 0 &&
	    store_customer_get(ns->store, n->customer, &t->c, &e) == 1)
		t->have = true;
	name = t->have && t->c.name != NULL && t->c.name[0] != '\0'
		   ? t->c.name
		   : n->to_name;
	if (name == NULL || *name == '\0')
		t->customer = xstrdup(n->to);
	else if (t->have && t->c.company != NULL && t->c.company[0] != '\0')
		t->customer = xasprintf("%s (%s)", name, t->c.company);
	else
		t->customer = xstrdup(name);
	if (t->have && t->c.phones != NULL)
		strlist_split(&l, t->c.phones, "\n");
	for (size_t k = 0; k < l.n; k++) {
		str_trim(l.v[k]);
		if (l.v[k][0] != '\0')
			str_printf(&ph, "%s%s", ph.len > 0 ? ", " : "", l.v[k]);
	}
	strlist_free(&l);
	t->phones = ph.len > 0 ? str_steal(&ph) : NULL;
	str_free(&ph);
	snprintf(t->id, sizeof(t->id), "%lld", (long long)n->id);
	snprintf(t->issue, sizeof(t->issue), "%lld", (long long)n->issue);
	notices_time_text(&ns->time, ns->lang, n->sent_at, t->sent,
			  sizeof(t->sent));
	notices_time_text(&ns->time, ns->lang, n->deadline, t->deadline,
			  sizeof(t->deadline));
	if (n->change_at != 0)
		notices_time_text(&ns->time, ns->lang, n->change_at, t->change,
				  sizeof(t->change));
	t->vars[i++] = (struct tmpl_var){"notice", t->id, false};
	t->vars[i++] = (struct tmpl_var){"customer_name", name, false};
	t->vars[i++] =
	    (struct tmpl_var){"company", t->have ? t->c.company : NULL, false};
	t->vars[i++] = (struct tmpl_var){"customer", t->customer, false};
	t->vars[i++] = (struct tmpl_var){"customer_email", n->to, false};
	t->vars[i++] = (struct tmpl_var){"phones", t->phones, false};
	t->vars[i++] = (struct tmpl_var){"subject", n->subject, false};
	t->vars[i++] =
	    (struct tmpl_var){"issue", n->issue != 0 ? t->issue : NULL, false};
	t->vars[i++] = (struct tmpl_var){"sent_at", t->sent, false};
	t->vars[i++] = (struct tmpl_var){"deadline", t->deadline, false};
	t->vars[i++] = (struct tmpl_var){
	    "change_at", n->change_at != 0 ? t->change : NULL, false};
	t->vars[i++] = (struct tmpl_var){"reason", n->reason, false};
	t->vars[i++] = (struct tmpl_var){"support_name", ns->name, false};
	t->vars[i++] = (struct tmpl_var){"support_phone", ns->phone, false};
}

static void
notice_text_free(struct notice_text *t)
{
	if (t->have)
		store_customer_clear(&t->c);
	free(t->customer);
	free(t->phones);
	memset(t, 0, sizeof(*t));
}

/* Renders template name (in [notices] lang). Returns 0, or -1 when it
   is missing or broken: logged, and the caller sends its built-in
   text. */
static int
render(struct notices *ns, const char *name, const struct tmpl_var *vars,
       size_t nvars, const char *what, char **subject_r, char **body_r)
{
	char *text = NULL, *path = NULL, *err = NULL;
	int r = -1;

	*subject_r = NULL;
	*body_r = NULL;
	if (tmpl_load(ns->template_dir, name, ns->lang, &text, &path, &err) ==
		0 &&
	    tmpl_render(text, strlen(text), vars, nvars, false, subject_r,
			body_r, &err) == 0)
		r = 0;
	else
		log_warnx("%s: template %s: %s; sending the built-in text",
			  what, path != NULL ? path : name,
			  err != NULL ? err : "cannot render it");
	free(text);
	free(path);
	free(err);
	return r;
}

/* subject with the issue's tag in front, as every notice has it. */
static char *
tagged_subject(char *subject, int64_t issue)
{
	char *clean = tmpl_clean_value(subject);

	free(subject);
	if (issue != 0 && strstr(clean, "[#") == NULL) {
		char *t = xasprintf("[#%lld] %s", (long long)issue, clean);

		free(clean);
		return t;
	}
	return clean;
}

static int
remind(struct notices *ns, struct store_notice *n, time_t now,
       const char **error_r)
{
	struct notice_text t;
	char *subject = NULL, *body = NULL, *mid = NULL;
	char what[64];
	int r;

	notice_text_init(ns, n, &t);
	snprintf(what, sizeof(what), "reminder for notice #%lld",
		 (long long)n->id);
	if (render(ns, ns->reminder_template, t.vars, N_ELEMENTS(t.vars), what,
		   &subject, &body) < 0) {
		struct str b = STR_INIT;
		char dl[96];

		/* the built-in text is English, so is its date */
		notices_time_text(&ns->time, "en", n->deadline, dl, sizeof(dl));
		str_printf(&b,
			   "Hello,\n\nwe have not heard back from you about "
			   "our notice \"%s\".\nPlease confirm by replying to "
			   "this mail before %s.\nIf we do not hear from you, "
			   "we will call you.\n\n%s\n",
			   n->subject, dl, ns->name);
		free(body);
		body = str_steal(&b);
	}
	if (subject == NULL || *subject == '\0') {
		free(subject);
		subject = xasprintf("Reminder: %s", n->subject);
	}
	subject = tagged_subject(subject, n->issue);
	notice_text_free(&t);
	r = send_text(ns, n->to, subject, body, n->issue, "reminder",
		      n->message_id, now, &mid, error_r);
	free(subject);
	free(body);
	if (r < 0)
		return -1;
	n->reminded_at = now;
	n->updated_at = now;
	/* the reminder's Message-ID: an answer to it answers the notice
	   (find_candidates) */
	if (store_notice_update(ns->store, n, error_r) < 0 ||
	    store_notice_event(ns->store, n->id, now, n->state, "reminder sent",
			       mid, error_r) < 0)
		r = -1;
	free(mid);
	return r;
}

/* The built-in text of one notice in the on-duty mail. */
static void
on_duty_builtin_item(struct str *body, const struct store_notice *n,
		     const struct notice_text *t)
{
	str_printf(body, "- %s\n  notice #%lld: %s\n  %s\n", t->customer,
		   (long long)n->id, n->subject,
		   n->reason != NULL ? n->reason : "");
	if (t->have && t->c.phones != NULL && *t->c.phones != '\0') {
		struct strlist ph = {0};

		strlist_split(&ph, t->c.phones, "\n");
		for (size_t k = 0; k < ph.n; k++)
			str_printf(body, "  phone: %s\n", ph.v[k]);
		strlist_free(&ph);
	}
	str_appendc(body, '\n');
}

static int
mail_on_duty(struct notices *ns, const struct store_notice_list *l, time_t now,
	     const char **error_r)
{
	struct str builtin = STR_INIT, items = STR_INIT, names = STR_INIT;
	char *item_name =
	    xasprintf("%s%s", ns->on_duty_template, NOTICES_ITEM_SUFFIX);
	char *subject = NULL, *body = NULL, count[32];
	bool templated = true;
	int r;

	str_printf(&builtin,
		   "%zu change notice%s got no answer in time. "
		   "Please call:\n\n",
		   l->n, l->n == 1 ? "" : "s");
	for (size_t i = 0; i < l->n; i++) {
		struct notice_text t;
		char *isub = NULL, *ibody = NULL;

		notice_text_init(ns, &l->v[i], &t);
		on_duty_builtin_item(&builtin, &l->v[i], &t);
		str_printf(&names, "%s%s", i > 0 ? ", " : "", t.customer);
		if (templated &&
		    render(ns, item_name, t.vars, N_ELEMENTS(t.vars),
			   "on-duty mail", &isub, &ibody) < 0)
			templated = false;
		if (templated) {
			char *p = ibody + strlen(ibody);

			/* one empty line between the notices */
			while (p > ibody && (p[-1] == '\n' || p[-1] == ' '))
				*--p = '\0';
			str_printf(&items, "%s%s", i > 0 ? "\n\n" : "", ibody);
		}
		free(isub);
		free(ibody);
		notice_text_free(&t);
	}
	str_append(&builtin, "When you have called, record it with\n"
			     "  ackmail notice called ID --note TEXT\n");
	snprintf(count, sizeof(count), "%zu", l->n);
	if (templated) {
		const struct tmpl_var vars[] = {
		    {"count", count, false},
		    {"customers", str_c(&names), false},
		    {"notices", str_c(&items), true},
		    {"support_name", ns->name, false},
		    {"support_phone", ns->phone, false},
		};

		if (render(ns, ns->on_duty_template, vars, N_ELEMENTS(vars),
			   "on-duty mail", &subject, &body) < 0)
			templated = false;
	}
	if (!templated) {
		free(body);
		body = str_steal(&builtin);
	}
	if (subject == NULL || *subject == '\0') {
		free(subject);
		subject = xasprintf("Call them: %zu unanswered change notice%s",
				    l->n, l->n == 1 ? "" : "s");
	}
	r = send_text(ns, ns->on_duty, subject, body, 0, "escalation", NULL,
		      now, NULL, error_r);
	free(subject);
	free(body);
	free(item_name);
	str_free(&builtin);
	str_free(&items);
	str_free(&names);
	return r;
}

int
notices_escalate(struct notices *ns, time_t now,
		 struct store_notice_list *escalated_r, const char **error_r)
{
	struct store_notice_list due = {0}, done = {0};
	struct store_notice_query q = {.states = WAITING_STATES};
	int count = 0;

	if (store_notice_find(ns->store, &q, &due, error_r) < 0)
		return -1;
	for (size_t i = 0; i < due.n; i++) {
		struct store_notice *n = &due.v[i];
		char span[64], note[256];

		if (n->deadline > now) {
			if (ns->reminder > 0 && n->reminded_at == 0 &&
			    now >= n->deadline - ns->reminder &&
			    now >= n->sent_at &&
			    remind(ns, n, now, error_r) < 0)
				goto fail;
			continue;
		}
		notices_span_text((long)(n->deadline - n->sent_at), span,
				  sizeof(span));
		snprintf(note, sizeof(note), "%s in %s",
			 strcmp(n->state, "seen") == 0 ? "read, but no reply"
						       : "no reply",
			 span);
		free(n->reason);
		n->reason = xstrdup(note);
		n->escalated_at = now;
		if (transition(ns, n, "escalated", now, note, NULL, error_r) <
		    0)
			goto fail;
		list_take(&done, n);
		count++;
	}
	if (done.n > 0 && ns->on_duty != NULL &&
	    mail_on_duty(ns, &done, now, error_r) < 0)
		goto fail;
	store_notice_list_free(&due);
	if (escalated_r != NULL) {
		for (size_t i = 0; i < done.n; i++)
			list_take(escalated_r, &done.v[i]);
	}
	store_notice_list_free(&done);
	return count;
fail:
	store_notice_list_free(&due);
	store_notice_list_free(&done);
	return -1;
}
