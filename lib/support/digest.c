/*
 * digest.c - what the technicians should do today, most urgent first:
 * 1. call today, 2. waiting for an answer, 3. customers waiting on us,
 * 4. quiet customers, 5. mail problems. One model, three renderings:
 * plain text for a terminal, HTML for mail clients (inline CSS, no
 * scripts, no remote images) and JSON lines for scripts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"

struct digest_notice {
	struct store_notice n;
	struct store_customer c;
	bool have_customer;
};

struct digest {
	const struct notice_time *time;
	time_t now;
	long waiting_age, quiet_after;
	struct digest_notice *calls, *waiting;
	size_t ncalls, nwaiting;
	struct store_digest_issue *issues;
	size_t nissues;
	struct store_digest_customer *quiet;
	size_t nquiet;
	struct store_digest_problem *problems;
	size_t nproblems;
};

static int
load_notices(struct store *store, const struct store_notice_query *q,
	     struct digest_notice **v_r, size_t *n_r, const char **error_r)
{
	struct store_notice_list l = {0};
	struct digest_notice *v;

	if (store_notice_find(store, q, &l, error_r) < 0)
		return -1;
	v = xcalloc(l.n + 1, sizeof(*v));
	for (size_t i = 0; i < l.n; i++) {
		int64_t cid = l.v[i].customer;
		const char *e;

		v[i].n = l.v[i];
		memset(&l.v[i], 0, sizeof(l.v[i]));
		if (cid == 0 &&
		    store_customer_find(store, v[i].n.to, &cid, &e) < 0)
			cid = 0;
		if (cid != 0 &&
		    store_customer_get(store, cid, &v[i].c, &e) == 1)
			v[i].have_customer = true;
	}
	*v_r = v;
	*n_r = l.n;
	store_notice_list_free(&l);
	return 0;
}

/* Most urgent call first: the change that comes soonest, then the
   oldest escalation. */
static int
call_cmp(const void *a, const void *b)
{
	const struct store_notice *x = &((const struct digest_notice *)a)->n;
	const struct store_notice *y = &((const struct digest_notice *)b)->n;
	time_t cx = x->change_at != 0 ? x->change_at : (time_t)1 << 40;
	time_t cy = y->change_at != 0 ? y->change_at : (time_t)1 << 40;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (x->escalated_at != y->escalated_at)
		return x->escalated_at < y->escalated_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int
digest_build(struct notices *ns, const struct config *config, time_t now,
	     struct digest **d_r, const char **error_r)
{
	struct digest *d = xcalloc(1, sizeof(*d));
	struct store *store = notices_store(ns);
	struct store_notice_query calls = {.escalated = true};
	struct store_notice_query waiting = {.states = "waiting,seen"};

	d->time = notices_time(ns);
	d->now = now;
	config_get_duration(config, "digest", "waiting_age", 86400,
			    &d->waiting_age);
	config_get_duration(config, "digest", "quiet_after", 30 * 86400,
			    &d->quiet_after);
	*d_r = d;
	if (load_notices(store, &calls, &d->calls, &d->ncalls, error_r) < 0 ||
	    load_notices(store, &waiting, &d->waiting, &d->nwaiting, error_r) <
		0 ||
	    store_digest_waiting_issues(store, now, d->waiting_age, &d->issues,
					&d->nissues, error_r) < 0 ||
	    store_digest_quiet_customers(store, now, d->quiet_after, &d->quiet,
					 &d->nquiet, error_r) < 0 ||
	    store_digest_mail_problems(store, now, &d->problems, &d->nproblems,
				       error_r) < 0)
		return -1;
	qsort(d->calls, d->ncalls, sizeof(*d->calls), call_cmp);
	return 0;
}

static void
free_notices(struct digest_notice *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		store_notice_clear(&v[i].n);
		if (v[i].have_customer)
			store_customer_clear(&v[i].c);
	}
	free(v);
}

void
digest_free(struct digest **dp)
{
	struct digest *d = *dp;

	if (d == NULL)
		return;
	free_notices(d->calls, d->ncalls);
	free_notices(d->waiting, d->nwaiting);
	store_digest_issues_free(d->issues, d->nissues);
	store_digest_customers_free(d->quiet, d->nquiet);
	store_digest_problems_free(d->problems, d->nproblems);
	free(d);
	*dp = NULL;
}

size_t
digest_calls(const struct digest *d)
{
	return d->ncalls;
}

/* ---- shared helpers ---- */

static void
when(const struct digest *d, time_t t, char *buf, size_t size)
{
	if (t == 0)
		snprintf(buf, size, "never");
	else
		notice_time_format(d->time, t, "%a %d %b %H:%M", buf, size);
}

/* "in 5 h", "in 2 days", "overdue by 3 h" */
static void
time_left(const struct digest *d, time_t deadline, char *buf, size_t size)
{
	char span[48];
	long s = (long)(deadline - d->now);

	if (s >= 2 * 86400) {
		snprintf(buf, size, "in %ld days %ld h", s / 86400,
			 (s % 86400) / 3600);
	} else if (s >= 0) {
		notices_span_text(s >= 3600 ? s - s % 3600 : s, span,
				  sizeof(span));
		snprintf(buf, size, "in %s", span);
	} else {
		notices_span_text(-s, span, sizeof(span));
		snprintf(buf, size, "overdue by %s", span);
	}
}

static void
ago(const struct digest *d, time_t t, char *buf, size_t size)
{
	long s = (long)(d->now - t);

	if (s >= 2 * 86400)
		snprintf(buf, size, "%ld days ago", s / 86400);
	else if (s >= 3600)
		snprintf(buf, size, "%ld h ago", s / 3600);
	else
		snprintf(buf, size, "%ld min ago", s > 0 ? s / 60 : 0);
}

static const char *
who_name(const struct digest_notice *dn)
{
	if (dn->have_customer && dn->c.name != NULL && dn->c.name[0] != '\0')
		return dn->c.name;
	return dn->n.to;
}

static const char *
who_company(const struct digest_notice *dn)
{
	if (dn->have_customer && dn->c.company != NULL &&
	    dn->c.company[0] != '\0')
		return dn->c.company;
	return NULL;
}

static void
split_phones(const char *phones, struct strlist *l)
{
	if (phones == NULL)
		return;
	strlist_split(l, phones, "\n;,");
	for (size_t i = 0; i < l->n; i++)
		str_trim(l->v[i]);
}

static const char *const section_titles[5] = {
    "Call today",      "Waiting for an answer", "Customers waiting on us",
    "Quiet customers", "Mail problems",
};

static void
problem_text(const struct digest *d, const struct store_digest_problem *p,
	     struct str *out)
{
	char at[64];

	if (strcmp(p->kind, "ack-bounced") == 0) {
		when(d, p->at, at, sizeof(at));
		str_printf(out, "acknowledgement %lld to %s bounced %s",
			   (long long)p->outbox_id, p->rcpts, at);
		/* the failed recipient, when the bounce names another */
		if (p->error != NULL && *p->error != '\0' &&
		    strcasecmp(p->error, p->rcpts) != 0)
			str_printf(out, " (failed: %s)", p->error);
		if (p->issue != 0)
			str_printf(out, ", issue #%lld", (long long)p->issue);
	} else if (strcmp(p->kind, "rcpt-failed") == 0)
		str_printf(out, "mail %lld was not delivered to %s: %s",
			   (long long)p->outbox_id, p->rcpts,
			   p->error != NULL ? p->error : "refused");
	else if (strcmp(p->kind, "failed") == 0)
		str_printf(out, "mail %lld to %s failed after %d attempt%s: %s",
			   (long long)p->outbox_id, p->rcpts, p->attempts,
			   p->attempts == 1 ? "" : "s",
			   p->error != NULL ? p->error : "");
	else
		str_printf(out,
			   "mail %lld to %s keeps failing (%d attempts): "
			   "%s",
			   (long long)p->outbox_id, p->rcpts, p->attempts,
			   p->error != NULL ? p->error : "");
}

/* ---- text ---- */

void
digest_text(const struct digest *d, struct str *out)
{
	char a[64], b[64], c[64];
	size_t counts[5] = {d->ncalls, d->nwaiting, d->nissues, d->nquiet,
			    d->nproblems};

	notice_time_format(d->time, d->now, "%A %d %B %Y, %H:%M %Z", a,
			   sizeof(a));
	str_printf(out, "ackmail digest for %s\n", a);
	str_printf(out,
		   "%zu to call, %zu waiting for an answer, %zu waiting "
		   "on us\n",
		   d->ncalls, d->nwaiting, d->nissues);
	for (int s = 0; s < 5; s++) {
		str_printf(out, "\n%d. %s (%zu)\n", s + 1, section_titles[s],
			   counts[s]);
		str_append(out, "------------------------------------------"
				"------------------------------------\n");
		if (counts[s] == 0)
			str_append(out, "   nothing\n");
		if (s == 0)
			for (size_t i = 0; i < d->ncalls; i++) {
				const struct digest_notice *dn = &d->calls[i];
				struct strlist ph = {0};

				str_printf(out, " * %s", who_name(dn));
				if (who_company(dn) != NULL)
					str_printf(out, ", %s",
						   who_company(dn));
				str_printf(out, " <%s>\n", dn->n.to);
				if (dn->have_customer)
					split_phones(dn->c.phones, &ph);
				if (ph.n == 0)
					str_append(out,
						   "   phone: (no number on "
						   "file)\n");
				for (size_t k = 0; k < ph.n; k++)
					str_printf(out, "   phone: %s\n",
						   ph.v[k]);
				strlist_free(&ph);
				str_printf(out, "   %s\n", dn->n.subject);
				when(d, dn->n.sent_at, a, sizeof(a));
				str_printf(out, "   sent %s - why: %s\n", a,
					   dn->n.reason != NULL ? dn->n.reason
								: dn->n.state);
				if (dn->n.change_at != 0) {
					when(d, dn->n.change_at, b, sizeof(b));
					str_printf(out, "   change: %s\n", b);
				}
				str_printf(out,
					   "   after the call: ackmail notice "
					   "called %lld --note \"...\"\n",
					   (long long)dn->n.id);
			}
		if (s == 1)
			for (size_t i = 0; i < d->nwaiting; i++) {
				const struct digest_notice *dn = &d->waiting[i];

				str_printf(out, " * %s", who_name(dn));
				if (who_company(dn) != NULL)
					str_printf(out, ", %s",
						   who_company(dn));
				str_printf(out, " <%s>\n   %s\n", dn->n.to,
					   dn->n.subject);
				when(d, dn->n.sent_at, a, sizeof(a));
				when(d, dn->n.deadline, b, sizeof(b));
				time_left(d, dn->n.deadline, c, sizeof(c));
				str_printf(
				    out, "   sent %s, answer due %s (%s)%s\n",
				    a, b, c,
				    strcmp(dn->n.state, "seen") == 0 ? ", read"
								     : "");
			}
		if (s == 2)
			for (size_t i = 0; i < d->nissues; i++) {
				const struct store_digest_issue *it =
				    &d->issues[i];

				str_printf(out, " * [#%lld] %s\n   %s%s%s\n",
					   (long long)it->number, it->subject,
					   it->customer_name != NULL &&
						   it->customer_name[0] != '\0'
					       ? it->customer_name
					       : "unknown customer",
					   it->company != NULL ? ", " : "",
					   it->company != NULL ? it->company
							       : "");
				if (it->untold)
					str_append(out,
						   "   resolved, but the "
						   "customer was never told\n");
				else {
					when(d, it->last_customer_at, a,
					     sizeof(a));
					ago(d, it->last_customer_at, b,
					    sizeof(b));
					str_printf(
					    out,
					    "   wrote %s (%s), no answer "
					    "from us since\n",
					    a, b);
				}
			}
		if (s == 3)
			for (size_t i = 0; i < d->nquiet; i++) {
				const struct store_digest_customer *qc =
				    &d->quiet[i];
				struct strlist ph = {0};

				str_printf(out, " * %s%s%s\n", qc->name,
					   qc->company != NULL ? ", " : "",
					   qc->company != NULL ? qc->company
							       : "");
				if (qc->last_contact == 0)
					str_append(out, "   no mail either way "
							"yet\n");
				else {
					when(d, qc->last_contact, a, sizeof(a));
					ago(d, qc->last_contact, b, sizeof(b));
					str_printf(out,
						   "   last contact %s (%s)\n",
						   a, b);
				}
				split_phones(qc->phones, &ph);
				for (size_t k = 0; k < ph.n; k++)
					str_printf(out, "   phone: %s\n",
						   ph.v[k]);
				strlist_free(&ph);
			}
		if (s == 4)
			for (size_t i = 0; i < d->nproblems; i++) {
				str_append(out, " * ");
				problem_text(d, &d->problems[i], out);
				str_appendc(out, '\n');
			}
	}
}

/* ---- HTML ---- */

static void
html_esc(struct str *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<':
			str_append(out, "&lt;");
			break;
		case '>':
			str_append(out, "&gt;");
			break;
		case '&':
			str_append(out, "&amp;");
			break;
		case '"':
			str_append(out, "&quot;");
			break;
		default:
			str_appendc(out, *s);
		}
	}
}

/* "+49 (30) 123-45" -> "+493012345" for a tel: link */
static void
tel_link(struct str *out, const char *phone)
{
	str_append(out, "<a href=\"tel:");
	for (const char *p = phone; *p != '\0'; p++)
		if (isdigit((unsigned char)*p) || (*p == '+' && p == phone))
			str_appendc(out, *p);
	str_append(out, "\" style=\"color:#0b57d0;font-weight:bold;"
			"text-decoration:none;white-space:nowrap;\">");
	html_esc(out, phone);
	str_append(out, "</a>");
}

static const char *const section_colors[5] = {"#b3261e", "#8a5a00", "#0b57d0",
					      "#5f6368", "#6d3fa0"};
static const char *const section_ids[5] = {"call", "waiting", "on-us", "quiet",
					   "problems"};

#define CARD                                                                   \
	"<div style=\"border-left:4px solid %s;background:#fafafa;"            \
	"margin:0 0 10px 0;padding:8px 10px;overflow-wrap:break-word;"         \
	"word-wrap:break-word;word-break:break-word;\">"
#define SMALL "<div style=\"color:#444;font-size:14px;\">"

void
digest_html(const struct digest *d, struct str *out)
{
	char a[64], b[64], c[64];
	size_t counts[5] = {d->ncalls, d->nwaiting, d->nissues, d->nquiet,
			    d->nproblems};

	notice_time_format(d->time, d->now, "%A %d %B %Y, %H:%M %Z", a,
			   sizeof(a));
	str_append(out,
		   "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		   "<meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width, "
		   "initial-scale=1\">"
		   "<title>ackmail digest</title></head>\n"
		   "<body style=\"margin:0;padding:0;background:#eeeeee;\">\n"
		   "<table role=\"presentation\" width=\"100%\" "
		   "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
		   "style=\"width:100%;background:#eeeeee;\"><tr>"
		   "<td align=\"center\" style=\"padding:8px;\">\n"
		   "<table role=\"presentation\" width=\"100%\" "
		   "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
		   "style=\"width:100%;max-width:640px;background:#ffffff;"
		   "table-layout:fixed;\"><tr><td style=\"padding:12px 14px;"
		   "font-family:Arial,Helvetica,sans-serif;font-size:16px;"
		   "line-height:1.45;color:#202124;text-align:left;"
		   "overflow-wrap:break-word;word-wrap:break-word;\">\n");
	str_append(out, "<h1 style=\"font-size:22px;margin:0 0 4px 0;\">"
			"Today</h1>\n" SMALL);
	html_esc(out, a);
	str_printf(out,
		   " &middot; %zu to call, %zu waiting for an answer, "
		   "%zu waiting on us</div>\n",
		   d->ncalls, d->nwaiting, d->nissues);
	for (int s = 0; s < 5; s++) {
		const char *col = section_colors[s];

		str_printf(out,
			   "<h2 id=\"%s\" style=\"font-size:18px;color:%s;"
			   "border-bottom:2px solid %s;margin:20px 0 10px 0;"
			   "padding-bottom:2px;\">%d. %s (%zu)</h2>\n",
			   section_ids[s], col, col, s + 1, section_titles[s],
			   counts[s]);
		if (counts[s] == 0)
			str_append(out, "<p style=\"color:#5f6368;margin:0;\">"
					"Nothing.</p>\n");
		if (s == 0)
			for (size_t i = 0; i < d->ncalls; i++) {
				const struct digest_notice *dn = &d->calls[i];
				struct strlist ph = {0};

				str_printf(out, CARD "<strong>", col);
				html_esc(out, who_name(dn));
				str_append(out, "</strong>");
				if (who_company(dn) != NULL) {
					str_append(out, ", ");
					html_esc(out, who_company(dn));
				}
				str_append(out, "<br>");
				if (dn->have_customer)
					split_phones(dn->c.phones, &ph);
				if (ph.n == 0)
					str_append(out,
						   "<em>no phone number on "
						   "file</em>");
				for (size_t k = 0; k < ph.n; k++) {
					if (k > 0)
						str_append(out, " &middot; ");
					tel_link(out, ph.v[k]);
				}
				strlist_free(&ph);
				str_append(out, "<br>");
				html_esc(out, dn->n.subject);
				str_append(out, "<br>" SMALL "Why: ");
				html_esc(out, dn->n.reason != NULL
						  ? dn->n.reason
						  : dn->n.state);
				when(d, dn->n.sent_at, a, sizeof(a));
				str_append(out, " &middot; sent ");
				html_esc(out, a);
				if (dn->n.change_at != 0) {
					when(d, dn->n.change_at, b, sizeof(b));
					str_append(out,
						   " &middot; <strong>change ");
					html_esc(out, b);
					str_append(out, "</strong>");
				}
				str_printf(
				    out, " &middot; notice %lld</div></div>\n",
				    (long long)dn->n.id);
			}
		if (s == 1)
			for (size_t i = 0; i < d->nwaiting; i++) {
				const struct digest_notice *dn = &d->waiting[i];

				str_printf(out, CARD "<strong>", col);
				html_esc(out, who_name(dn));
				str_append(out, "</strong>");
				if (who_company(dn) != NULL) {
					str_append(out, ", ");
					html_esc(out, who_company(dn));
				}
				str_append(out, "<br>");
				html_esc(out, dn->n.subject);
				when(d, dn->n.deadline, b, sizeof(b));
				time_left(d, dn->n.deadline, c, sizeof(c));
				str_append(out, "<br>" SMALL "Answer due ");
				html_esc(out, b);
				str_append(out, " (<strong>");
				html_esc(out, c);
				str_append(out, "</strong>)");
				if (strcmp(dn->n.state, "seen") == 0)
					str_append(out, " &middot; read");
				str_append(out, "</div></div>\n");
			}
		if (s == 2)
			for (size_t i = 0; i < d->nissues; i++) {
				const struct store_digest_issue *it =
				    &d->issues[i];

				str_printf(out,
					   CARD "<strong>[#%lld]</strong> ",
					   col, (long long)it->number);
				html_esc(out, it->subject);
				str_append(out, "<br>" SMALL);
				html_esc(out,
					 it->customer_name != NULL &&
						 it->customer_name[0] != '\0'
					     ? it->customer_name
					     : "unknown customer");
				if (it->company != NULL) {
					str_append(out, ", ");
					html_esc(out, it->company);
				}
				if (it->untold)
					str_append(out,
						   " &middot; resolved, but "
						   "the customer was never "
						   "told");
				else {
					ago(d, it->last_customer_at, a,
					    sizeof(a));
					str_append(out, " &middot; wrote ");
					html_esc(out, a);
					str_append(out, ", no answer since");
				}
				str_append(out, "</div></div>\n");
			}
		if (s == 3)
			for (size_t i = 0; i < d->nquiet; i++) {
				const struct store_digest_customer *qc =
				    &d->quiet[i];
				struct strlist ph = {0};

				str_printf(out, CARD "<strong>", col);
				html_esc(out, qc->name);
				str_append(out, "</strong>");
				if (qc->company != NULL) {
					str_append(out, ", ");
					html_esc(out, qc->company);
				}
				str_append(out, "<br>" SMALL);
				if (qc->last_contact == 0)
					str_append(out,
						   "No mail either way yet");
				else {
					ago(d, qc->last_contact, a, sizeof(a));
					str_append(out, "Last contact ");
					html_esc(out, a);
				}
				split_phones(qc->phones, &ph);
				for (size_t k = 0; k < ph.n; k++) {
					str_append(out, " &middot; ");
					tel_link(out, ph.v[k]);
				}
				strlist_free(&ph);
				str_append(out, "</div></div>\n");
			}
		if (s == 4)
			for (size_t i = 0; i < d->nproblems; i++) {
				struct str t = STR_INIT;

				problem_text(d, &d->problems[i], &t);
				str_printf(out, CARD, col);
				html_esc(out, str_c(&t));
				str_append(out, "</div>\n");
				str_free(&t);
			}
	}
	str_append(out, "<p style=\"color:#5f6368;font-size:13px;"
			"margin:24px 0 0 0;\">Sent by ackmail. Record a call "
			"with <code>ackmail notice called ID --note "
			"TEXT</code>.</p>\n"
			"</td></tr></table>\n</td></tr></table>\n"
			"</body></html>\n");
}

/* ---- JSON lines ---- */

static void
jphones(struct str *out, const char *phones)
{
	struct strlist ph = {0};

	split_phones(phones, &ph);
	str_append(out, ",\"phones\":[");
	for (size_t k = 0; k < ph.n; k++) {
		if (k > 0)
			str_appendc(out, ',');
		str_append_json(out, ph.v[k]);
	}
	str_append(out, "]");
	strlist_free(&ph);
}

static void
jnotice(struct str *out, const char *section, const struct digest_notice *dn)
{
	str_append(out, "{\"section\":");
	str_append_json(out, section);
	str_printf(out, ",\"notice\":%lld", (long long)dn->n.id);
	str_append_json_member(out, "state", dn->n.state);
	str_append_json_member(out, "to", dn->n.to);
	str_append_json_member(out, "customer",
			       dn->have_customer ? dn->c.name : NULL);
	str_append_json_member(out, "company",
			       dn->have_customer ? dn->c.company : NULL);
	jphones(out, dn->have_customer ? dn->c.phones : NULL);
	str_append_json_member(out, "subject", dn->n.subject);
	str_append_json_member(out, "reason", dn->n.reason);
	str_append_json_time(out, "sent_at", dn->n.sent_at);
	str_append_json_time(out, "deadline", dn->n.deadline);
	str_append_json_time(out, "change_at", dn->n.change_at);
	str_append(out, "}\n");
}

void
digest_json(const struct digest *d, struct str *out)
{
	str_append(out, "{\"section\":\"summary\"");
	str_append_json_time(out, "generated", d->now);
	str_printf(out,
		   ",\"call\":%zu,\"waiting\":%zu,\"on_us\":%zu,"
		   "\"quiet\":%zu,\"problems\":%zu}\n",
		   d->ncalls, d->nwaiting, d->nissues, d->nquiet, d->nproblems);
	for (size_t i = 0; i < d->ncalls; i++)
		jnotice(out, "call", &d->calls[i]);
	for (size_t i = 0; i < d->nwaiting; i++)
		jnotice(out, "waiting", &d->waiting[i]);
	for (size_t i = 0; i < d->nissues; i++) {
		const struct store_digest_issue *it = &d->issues[i];

		str_printf(out, "{\"section\":\"on_us\",\"issue\":%lld",
			   (long long)it->number);
		str_append_json_member(out, "subject", it->subject);
		str_append_json_member(out, "customer", it->customer_name);
		str_append_json_member(out, "company", it->company);
		str_append_json_member(out, "state", it->state);
		str_printf(out, ",\"untold\":%s",
			   it->untold ? "true" : "false");
		str_append_json_time(out, "last_customer_at",
				     it->last_customer_at);
		str_append(out, "}\n");
	}
	for (size_t i = 0; i < d->nquiet; i++) {
		const struct store_digest_customer *qc = &d->quiet[i];

		str_printf(out, "{\"section\":\"quiet\",\"customer_id\":%lld",
			   (long long)qc->id);
		str_append_json_member(out, "customer", qc->name);
		str_append_json_member(out, "company", qc->company);
		jphones(out, qc->phones);
		str_append_json_time(out, "last_contact", qc->last_contact);
		str_append(out, "}\n");
	}
	for (size_t i = 0; i < d->nproblems; i++) {
		const struct store_digest_problem *p = &d->problems[i];

		str_append(out, "{\"section\":\"problems\"");
		str_append_json_member(out, "kind", p->kind);
		str_printf(out, ",\"outbox_id\":%lld,\"attempts\":%d",
			   (long long)p->outbox_id, p->attempts);
		str_append_json_member(out, "to", p->rcpts);
		str_append_json_member(out, "error", p->error);
		str_append_json_time(out, "at", p->at);
		str_append(out, "}\n");
	}
}
