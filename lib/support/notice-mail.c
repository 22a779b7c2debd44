/*
 * notice-mail.c - incoming mail as the notices engine sees it: a staff
 * member's copy to the tracking address records notices; every other
 * message may answer one (a reply, an out-of-office, a bounce, a read
 * receipt, a calendar reply). Also the return date of out-of-office
 * replies, in the languages customers write them in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "support.h"

/* ---- the return date of an out-of-office reply ---- */

static const struct {
	const char *name;
	int month;
} month_names[] = {
    {"january", 1},   {"jan", 1},	{"januar", 1},	  {"janvier", 1},
    {"february", 2},  {"feb", 2},	{"februar", 2},	  {"février", 2},
    {"fevrier", 2},   {"march", 3},	{"mar", 3},	  {"märz", 3},
    {"maerz", 3},     {"mars", 3},	{"april", 4},	  {"apr", 4},
    {"avril", 4},     {"may", 5},	{"mai", 5},	  {"june", 6},
    {"jun", 6},	      {"juni", 6},	{"juin", 6},	  {"july", 7},
    {"jul", 7},	      {"juli", 7},	{"juillet", 7},	  {"august", 8},
    {"aug", 8},	      {"août", 8},	{"aout", 8},	  {"september", 9},
    {"sep", 9},	      {"sept", 9},	{"septembre", 9}, {"october", 10},
    {"oct", 10},      {"oktober", 10},	{"octobre", 10},  {"november", 11},
    {"nov", 11},      {"novembre", 11}, {"december", 12}, {"dec", 12},
    {"dezember", 12}, {"décembre", 12}, {"decembre", 12},
};

static const struct {
	const char *name;
	int wday;
} weekday_names[] = {
    {"sunday", 0},   {"monday", 1},   {"tuesday", 2},  {"wednesday", 3},
    {"thursday", 4}, {"friday", 5},   {"saturday", 6}, {"sonntag", 0},
    {"montag", 1},   {"dienstag", 2}, {"mittwoch", 3}, {"donnerstag", 4},
    {"freitag", 5},  {"samstag", 6},  {"dimanche", 0}, {"lundi", 1},
    {"mardi", 2},    {"mercredi", 3}, {"jeudi", 4},    {"vendredi", 5},
    {"samedi", 6},
};

static int
word_at(const char *p, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(p, word, n) != 0 || isalpha((unsigned char)p[n]))
		return 0;
	return (int)n;
}

static bool
valid_ymd(int y, int m, int d)
{
	return y >= 1970 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The local midnight of y-m-d in the desk's zone. */
static time_t
midnight(const struct notice_time *nt, int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return notice_time_mktime(nt, &tm);
}

time_t
notices_away_until(const struct notice_time *nt, const char *text, time_t sent)
{
	struct tm now;
	const char *p;

	if (text == NULL)
		return 0;
	notice_time_local(nt, sent, &now);
	for (p = text; *p != '\0'; p++) {
		int y = 0, m = 0, d = 0, n = 0;

		if (p > text && (isalnum((unsigned char)p[-1])))
			continue;
		/* 2026-12-01 */
		if (sscanf(p, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 &&
		    n == 10 && valid_ymd(y, m, d))
			return midnight(nt, y, m, d);
		/* 01.12.2026, 1.12.26, 01/12/2026 (day first, as in most of
		   the world; month first when the day cannot be a month) */
		if (isdigit((unsigned char)*p)) {
			char s1, s2;

			n = 0;
			if (sscanf(p, "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y,
				   &n) == 5 &&
			    s1 == s2 && (s1 == '.' || s1 == '/' || s1 == '-')) {
				if (y < 100)
					y += 2000;
				if (s1 == '/' && m > 12 && d <= 12) {
					int t = m;

					m = d;
					d = t;
				}
				if (valid_ymd(y, m, d))
					return midnight(nt, y, m, d);
			}
			/* "12 March 2026", "12. März" */
			n = 0;
			if (sscanf(p, "%2d%n", &d, &n) == 1) {
				const char *q = p + n;

				while (*q == '.' || *q == ' ')
					q++;
				for (size_t i = 0; i < N_ELEMENTS(month_names);
				     i++) {
					int w = word_at(q, month_names[i].name);

					if (w == 0)
						continue;
					m = month_names[i].month;
					y = now.tm_year + 1900;
					q += w;
					while (*q == ' ' || *q == ',')
						q++;
					if (sscanf(q, "%4d", &y) != 1 ||
					    y < 1970)
						y = now.tm_year + 1900;
					if (valid_ymd(y, m, d)) {
						time_t t =
						    midnight(nt, y, m, d);

						if (t < sent - 86400 * 30)
							t = midnight(nt, y + 1,
								     m, d);
						return t;
					}
				}
			}
			continue;
		}
		/* "March 12, 2026", "Monday" */
		for (size_t i = 0; i < N_ELEMENTS(month_names); i++) {
			int w = word_at(p, month_names[i].name);
			const char *q;

			if (w == 0)
				continue;
			q = p + w;
			while (*q == ' ' || *q == '.')
				q++;
			if (sscanf(q, "%2d", &d) != 1)
				break;
			m = month_names[i].month;
			while (isdigit((unsigned char)*q))
				q++;
			while (*q == ',' || *q == ' ' ||
			       isalpha((unsigned char)*q))
				q++;
			if (sscanf(q, "%4d", &y) != 1 || y < 1970)
				y = now.tm_year + 1900;
			if (valid_ymd(y, m, d))
				return midnight(nt, y, m, d);
		}
		for (size_t i = 0; i < N_ELEMENTS(weekday_names); i++) {
			int diff;

			if (word_at(p, weekday_names[i].name) == 0)
				continue;
			diff = (weekday_names[i].wday - now.tm_wday + 7) % 7;
			if (diff == 0)
				diff = 7;
			return midnight(nt, now.tm_year + 1900, now.tm_mon + 1,
					now.tm_mday + diff);
		}
	}
	return 0;
}

/* ---- calendar replies ---- */

static char *
calendar_partstat(struct msg *msg)
{
	const struct msg_parts *parts = msg_parts(msg);

	for (size_t i = 0; i < parts->n; i++) {
		const struct msg_part *pt = &parts->v[i];
		const char *p;

		if (pt->content_type == NULL ||
		    strcmp(pt->content_type, "text/calendar") != 0 ||
		    pt->text == NULL)
			continue;
		if (memcasemem(pt->text, pt->text_len, "METHOD:REPLY", 12) ==
		    NULL)
			continue;
		if ((p = memcasemem(pt->text, pt->text_len, "PARTSTAT=", 9)) !=
		    NULL) {
			size_t n = 0;

			p += 9;
			while (isalpha((unsigned char)p[n]) || p[n] == '-')
				n++;
			return xstrndup(p, n);
		}
	}
	return NULL;
}

/* ---- the message ---- */

/* In-Reply-To's ids, or the last References id. */
static void
parent_ids(struct msg *msg, struct strlist *ids, bool *threaded_r)
{
	char *irt = msg_header_get(msg, "In-Reply-To", false);
	char *refs = msg_header_get(msg, "References", false);
	const char *src = irt != NULL ? irt : refs;
	struct strlist all = {0};

	*threaded_r = irt != NULL || refs != NULL;
	for (const char *p = src; p != NULL && (p = strchr(p, '<')) != NULL;) {
		const char *e = strchr(p, '>');

		if (e == NULL)
			break;
		if (e - p > 1)
			strlist_add_owned(&all,
					  xstrndup(p + 1, (size_t)(e - p - 1)));
		p = e + 1;
	}
	if (irt != NULL) {
		for (size_t i = 0; i < all.n; i++)
			strlist_add(ids, all.v[i]);
	} else if (all.n > 0)
		strlist_add(ids, all.v[all.n - 1]);
	strlist_free(&all);
	free(irt);
	free(refs);
}

static char *
sender_of(struct msg *msg, char **name_r)
{
	struct msg_addrlist from = {0};
	char *addr = NULL;

	*name_r = NULL;
	if (msg_addr_header(msg, "From", &from) > 0 &&
	    from.v[0].addr[0] != '\0') {
		addr = msg_addr_normalize(from.v[0].addr);
		if (from.v[0].name != NULL)
			*name_r = xstrdup(from.v[0].name);
	}
	msg_addrlist_free(&from);
	return addr;
}

/* A "deadline: 2d" line in the body of a staff member's copy. */
static char *
deadline_line(struct msg *msg)
{
	const char *text = msg_text(msg);

	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t' || *p == '>'))
			p++, n--;
		if (n > 9 && strncasecmp(p, "deadline:", 9) == 0) {
			char *v = xstrndup(p + 9, n - 9);

			str_trim(v);
			return v;
		}
		p = e != NULL ? e + 1 : NULL;
	}
	return NULL;
}

static int
record_bcc(struct notices *ns, struct msg *msg, const char *sender,
	   int64_t issue, const char **error_r)
{
	struct msg_addrlist rcpts = {0};
	const char *mid = msg_message_id(msg);
	char *dl = deadline_line(msg), *trimmed = NULL, *cc = NULL;
	time_t date = msg_date(msg), now = clock_now();
	int added = 0;

	if (mid == NULL) {
		free(dl);
		return 0;
	}
	if (dl != NULL)
		trimmed = str_trim(dl);
	msg_addr_header(msg, "To", &rcpts);
	msg_addr_header(msg, "Cc", &rcpts);
	/* a message dated in the future or long ago: the clock we trust is
	   ours */
	if (date <= 0 || date > now || date < now - 86400)
		date = now;
	for (size_t i = 0; i < rcpts.n; i++) {
		char *to = msg_addr_normalize(rcpts.v[i].addr);
		struct notice_new nn = {0};
		int64_t id, customer = 0;
		const char *e;
		int r;

		if (to[0] == '\0' || strchr(to, '@') == NULL ||
		    notices_is_ours(ns, to)) {
			free(to);
			continue;
		}
		if (store_customer_find(notices_store(ns), to, &customer, &e) <
		    0)
			customer = 0;
		nn.to = to;
		nn.to_name = rcpts.v[i].name;
		nn.cc = cc;
		nn.subject = msg_subject(msg);
		nn.message_id = mid;
		nn.sender = sender;
		nn.source = "bcc";
		nn.customer = customer;
		nn.issue = issue;
		nn.sent_at = date;
		nn.deadline = trimmed;
		nn.change_at = (time_t)-1;
		r = notices_record(ns, &nn, &id, error_r);
		if (r < 0 && trimmed != NULL) {
			/* a bad deadline line: the configured deadline */
			nn.deadline = NULL;
			r = notices_record(ns, &nn, &id, error_r);
		}
		free(to);
		if (r < 0) {
			msg_addrlist_free(&rcpts);
			free(dl);
			return -1;
		}
		added += r;
	}
	msg_addrlist_free(&rcpts);
	free(dl);
	return added;
}

int
notices_handle_message(struct notices *ns, struct msg *msg,
		       const struct notice_facts *facts, const char **error_r)
{
	const struct msg_classification *c;
	struct notice_reply r;
	struct strlist parents = {0};
	char *from, *partstat = NULL, *text = NULL, *failed = NULL;
	char *from_name = NULL, *hdr_from;
	int64_t issue = 0;
	int ret = 0;

	hdr_from = sender_of(msg, &from_name);
	if (facts != NULL && facts->from != NULL) {
		from = xstrdup(facts->from);
		free(hdr_from);
	} else
		from = hdr_from;
	if (from == NULL)
		from = xstrdup("");
	if (facts != NULL && facts->issue != 0)
		issue = facts->issue;
	else
		notices_subject_tag(msg_subject(msg), &issue);

	if (notices_is_tracking(ns, msg_envelope_to(msg))) {
		/* only staff can start tracking a notice: anyone could
		   write to the tracking address */
		if (notices_is_staff(ns, from))
			ret = record_bcc(ns, msg, from, issue, error_r);
		else {
			log_warnx("notices: %s is not staff: mail to the "
				  "tracking address ignored",
				  from[0] != '\0' ? from : "(no sender)");
			ret = 0;
		}
		free(from);
		free(from_name);
		return ret < 0 ? -1 : ret;
	}
	if (notices_is_ours(ns, from)) {
		free(from);
		free(from_name);
		return 0;
	}
	c = msg_classify(msg, facts != NULL ? facts->classify : NULL);
	memset(&r, 0, sizeof(r));
	switch (c->class) {
	case MSG_CLASS_HUMAN:
		r.kind = NOTICE_REPLY_HUMAN;
		break;
	case MSG_CLASS_AUTOREPLY:
		r.kind = NOTICE_REPLY_AUTOREPLY;
		break;
	case MSG_CLASS_BOUNCE:
		r.kind = NOTICE_REPLY_BOUNCE;
		break;
	case MSG_CLASS_MDN:
		r.kind = NOTICE_REPLY_MDN;
		break;
	case MSG_CLASS_CALENDAR:
		r.kind = NOTICE_REPLY_CALENDAR;
		partstat = calendar_partstat(msg);
		break;
	default:
		free(from);
		free(from_name);
		return 0;
	}
	r.at = clock_now();
	r.from = from;
	r.from_name = from_name;
	r.subject = msg_subject(msg);
	r.message_id = msg_message_id(msg);
	parent_ids(msg, &parents, &r.threaded);
	r.parents = &parents;
	r.original_message_id = c->original_message_id;
	if (c->failed_recipient != NULL) {
		const char *fr = c->failed_recipient;

		if (strncasecmp(fr, "rfc822;", 7) == 0)
			fr += 7;
		while (*fr == ' ' || *fr == '<')
			fr++;
		failed = msg_addr_normalize(fr);
		failed[strcspn(failed, "> ")] = '\0';
		r.failed_recipient = failed;
	}
	r.issue = issue;
	if (facts != NULL && facts->customer != 0)
		r.customer = facts->customer;
	else if (from[0] != '\0') {
		const char *e;

		if (store_customer_find(notices_store(ns), from, &r.customer,
					&e) < 0)
			r.customer = 0;
	}
	if (r.kind == NOTICE_REPLY_AUTOREPLY) {
		r.away_until = c->away_until;
		if (r.away_until == 0)
			r.away_until = notices_away_until(notices_time(ns),
							  msg_text(msg), r.at);
	}
	if (r.kind == NOTICE_REPLY_HUMAN)
		r.text = text = msg_text_new(msg);
	r.partstat = partstat;
	ret = notices_reply(ns, &r, error_r);
	strlist_free(&parents);
	free(text);
	free(partstat);
	free(failed);
	free(from);
	free(from_name);
	return ret;
}
