/*
 * support-gate.c - whether a message may get an automatic answer at all.
 * RFC 3834 (automatic responses) and RFC 5230 section 4.6 (vacation: who
 * not to answer) kept as data tables, then the rate limits.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "store.h"
#include "support.h"

enum gate_match {
	GATE_PRESENT,	  /* the header exists (any value) */
	GATE_NOT_VALUE,	  /* the first word is none of values */
	GATE_VALUE,	  /* the first word is one of values */
	GATE_TOKEN,	  /* a comma/space separated token is one of values */
	GATE_CONTAINS,	  /* the value contains one of values */
	GATE_NAME_PREFIX, /* any header whose name starts with .header */
};

struct gate_header_rule {
	const char *header;
	enum gate_match match;
	const char *const *values;
	const char *reason;
};

static const char *const v_no[] = {"no", NULL};
static const char *const v_precedence[] = {"bulk", "list", "junk", "auto_reply",
					   NULL};
static const char *const v_suppress[] = {"all", "autoreply", "oof", NULL};
static const char *const v_yes[] = {"yes", NULL};
static const char *const v_report[] = {
    "multipart/report", "message/delivery-status",
    "message/disposition-notification", NULL};
static const char *const v_calendar[] = {"calendarmessage", NULL};

/* RFC 3834 section 2 and 5, RFC 5230 section 4.6, and the headers the
   common mail systems put on machine-made mail. */
static const struct gate_header_rule gate_header_rules[] = {
    {"Auto-Submitted", GATE_NOT_VALUE, v_no, "Auto-Submitted"},
    {"Precedence", GATE_VALUE, v_precedence, "Precedence bulk/list/junk"},
    {"List-", GATE_NAME_PREFIX, NULL, "mailing list (List-* header)"},
    {"X-Auto-Response-Suppress", GATE_TOKEN, v_suppress,
     "X-Auto-Response-Suppress"},
    {"X-Autoreply", GATE_PRESENT, NULL, "X-Autoreply"},
    {"X-Autorespond", GATE_PRESENT, NULL, "X-Autorespond"},
    {"X-AutoReply-From", GATE_PRESENT, NULL, "X-AutoReply-From"},
    {"X-Mail-Autoreply", GATE_PRESENT, NULL, "X-Mail-Autoreply"},
    {"X-Loop", GATE_PRESENT, NULL, "X-Loop"},
    {"X-Spam-Flag", GATE_VALUE, v_yes, "spam (X-Spam-Flag)"},
    {"X-Spam-Status", GATE_VALUE, v_yes, "spam (X-Spam-Status)"},
    {"Content-Type", GATE_CONTAINS, v_report, "bounce or read receipt"},
    {"Content-Class", GATE_CONTAINS, v_calendar, "calendar reply"},
};

enum addr_match { ADDR_EXACT, ADDR_PREFIX, ADDR_SUFFIX, ADDR_CONTAINS };

struct gate_local_rule {
	enum addr_match match;
	const char *text;
};

/* Local parts of senders that are never people (RFC 5230 4.6, RFC 2142
   and what list managers and no-reply senders use). */
static const struct gate_local_rule gate_local_rules[] = {
    {ADDR_EXACT, "mailer-daemon"},   {ADDR_EXACT, "postmaster"},
    {ADDR_EXACT, "listserv"},	     {ADDR_EXACT, "majordomo"},
    {ADDR_EXACT, "mailman"},	     {ADDR_PREFIX, "owner-"},
    {ADDR_SUFFIX, "-request"},	     {ADDR_SUFFIX, "-owner"},
    {ADDR_SUFFIX, "-bounces"},	     {ADDR_PREFIX, "bounce"},
    {ADDR_CONTAINS, "noreply"},	     {ADDR_CONTAINS, "no-reply"},
    {ADDR_CONTAINS, "no_reply"},     {ADDR_CONTAINS, "donotreply"},
    {ADDR_CONTAINS, "do-not-reply"}, {ADDR_CONTAINS, "do_not_reply"},
};

/* The headers naming recipients we look for ourselves in. */
static const char *const gate_recipient_headers[] = {
    "To",
    "Cc",
    "Resent-To",
    "Resent-Cc",
};

static bool
word_in(const char *value, const char *const *values, bool first_word)
{
	char *v = xstrdup(value), *p = v;
	bool found = false;

	str_lower(v);
	while (*p != '\0' && !found) {
		size_t n;

		p += strspn(p, " \t,;");
		n = strcspn(p, first_word ? " \t;," : " \t,;");
		if (n == 0)
			break;
		for (size_t i = 0; values[i] != NULL; i++)
			if (strlen(values[i]) == n &&
			    strncmp(p, values[i], n) == 0)
				found = true;
		if (first_word)
			break;
		p += n;
	}
	free(v);
	return found;
}

static bool
header_rule_hits(const struct gate_header_rule *r, struct msg *msg)
{
	size_t n = msg_header_count(msg);

	if (r->match == GATE_NAME_PREFIX) {
		size_t plen = strlen(r->header);

		for (size_t i = 0; i < n; i++) {
			const struct msg_header *h = msg_header_at(msg, i);

			if (h->name_len > plen &&
			    strncasecmp(h->name, r->header, plen) == 0)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct msg_header *h = msg_header_at(msg, i);
		bool hit = false;
		char *v;

		if (h->name_len != strlen(r->header) ||
		    strncasecmp(h->name, r->header, h->name_len) != 0)
			continue;
		if (r->match == GATE_PRESENT)
			return true;
		v = msg_header_value(msg, i, false);
		str_trim(v);
		switch (r->match) {
		case GATE_NOT_VALUE:
			hit = !word_in(v, r->values, true);
			break;
		case GATE_VALUE:
			hit = word_in(v, r->values, true);
			break;
		case GATE_TOKEN:
			hit = word_in(v, r->values, false);
			break;
		case GATE_CONTAINS:
			for (size_t j = 0; r->values[j] != NULL && !hit; j++)
				hit = memcasemem(v, strlen(v), r->values[j],
						 strlen(r->values[j])) != NULL;
			break;
		default:
			break;
		}
		free(v);
		if (hit)
			return true;
	}
	return false;
}

static bool
local_rule_hits(const struct gate_local_rule *r, const char *local)
{
	size_t n = strlen(local), t = strlen(r->text);

	switch (r->match) {
	case ADDR_EXACT:
		return strcasecmp(local, r->text) == 0;
	case ADDR_PREFIX:
		return str_has_prefix_case(local, r->text);
	case ADDR_SUFFIX:
		return n >= t && strcasecmp(local + n - t, r->text) == 0;
	case ADDR_CONTAINS:
		return memcasemem(local, n, r->text, t) != NULL;
	}
	return false;
}

/* True when addr (normalised) is staff: listed, or in a listed
   @domain. */
static bool
is_staff(const struct ack_settings *s, const char *addr)
{
	const char *at = strrchr(addr, '@');

	for (size_t i = 0; i < s->staff.n; i++) {
		const char *e = s->staff.v[i];

		if (e[0] == '@') {
			if (at != NULL && strcasecmp(at, e) == 0)
				return true;
		} else if (strcasecmp(addr, e) == 0)
			return true;
	}
	return false;
}

static bool
is_ours(const struct ack_settings *s, const struct strlist *extra,
	const char *addr)
{
	return strlist_contains_case(&s->addresses, addr) ||
	       (extra != NULL && strlist_contains_case(extra, addr));
}

int
ack_gate_recipient(struct msg *msg, char **addr_r, const char **reason_r)
{
	const char *env = msg_envelope_from(msg);
	struct msg_addrlist l = {0};
	char *v;

	*addr_r = NULL;
	if (env != NULL) {
		if (*env == '\0' || strcmp(env, "<>") == 0) {
			*reason_r = "empty return path";
			return 0;
		}
		*addr_r = msg_addr_normalize(env);
		return 1;
	}
	if ((v = msg_header_get(msg, "Return-Path", false)) != NULL) {
		char *t = str_trim(v);

		if (*t == '\0' || strcmp(t, "<>") == 0) {
			free(v);
			*reason_r = "empty return path";
			return 0;
		}
		free(v);
		msg_addr_header(msg, "Return-Path", &l);
	}
	if (l.n == 0 || l.v[0].addr[0] == '\0')
		msg_addr_header(msg, "From", &l);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].addr[0] != '\0' && strchr(l.v[i].addr, '@')) {
			*addr_r = msg_addr_normalize(l.v[i].addr);
			break;
		}
	msg_addrlist_free(&l);
	if (*addr_r == NULL) {
		*reason_r = "no sender address";
		return 0;
	}
	return 1;
}

int
ack_gate_message(const struct ack_settings *s, struct msg *msg,
		 const struct strlist *extra, const char **reason_r)
{
	struct msg_addrlist from = {0};
	char *sender = NULL, *local;
	const char *mid;
	bool addressed = false;
	int r;

	for (size_t i = 0; i < N_ELEMENTS(gate_header_rules); i++)
		if (header_rule_hits(&gate_header_rules[i], msg)) {
			*reason_r = gate_header_rules[i].reason;
			return 0;
		}
	if (s->loop_header != NULL && msg_header_exists(msg, s->loop_header)) {
		*reason_r = "our own loop header";
		return 0;
	}
	mid = msg_message_id(msg);
	if (mid != NULL &&
	    (ack_message_id_is_ours(s, mid) ||
	     (s->is_our_id != NULL && s->is_our_id(mid, s->is_our_id_ctx)))) {
		*reason_r = "our own Message-ID";
		return 0;
	}
	if ((r = ack_gate_recipient(msg, &sender, reason_r)) <= 0)
		return r;
	/* the sender, and every From address, must be a person outside */
	msg_addr_header(msg, "From", &from);
	for (size_t i = 0; i <= from.n; i++) {
		char *a = i == 0 ? xstrdup(sender)
				 : msg_addr_normalize(from.v[i - 1].addr);

		local = xstrndup(a, strcspn(a, "@"));
		for (size_t j = 0; j < N_ELEMENTS(gate_local_rules); j++)
			if (local_rule_hits(&gate_local_rules[j], local)) {
				*reason_r = "robot sender (local part)";
				goto no;
			}
		if (is_ours(s, extra, a)) {
			*reason_r = "mail from our own address";
			goto no;
		}
		if (is_staff(s, a)) {
			*reason_r = "mail from staff";
			goto no;
		}
		if (s->robot != NULL) {
			pcre2_match_data *md =
			    pcre2_match_data_create_from_pattern(s->robot,
								 NULL);
			int m =
			    pcre2_match(s->robot, (PCRE2_SPTR)a,
					PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);

			pcre2_match_data_free(md);
			if (m >= 0) {
				*reason_r =
				    "robot sender ([ack] robot_pattern)";
				goto no;
			}
		}
		free(local);
		free(a);
		continue;
	no:
		free(local);
		free(a);
		free(sender);
		msg_addrlist_free(&from);
		return 0;
	}
	free(sender);
	msg_addrlist_free(&from);
	if (s->addresses.n == 0 && (extra == NULL || extra->n == 0)) {
		*reason_r = "no [support] address configured";
		return 0;
	}
	for (size_t i = 0; i < N_ELEMENTS(gate_recipient_headers) && !addressed;
	     i++) {
		struct msg_addrlist l = {0};

		msg_addr_header(msg, gate_recipient_headers[i], &l);
		for (size_t j = 0; j < l.n && !addressed; j++) {
			char *a = msg_addr_normalize(l.v[j].addr);

			addressed = is_ours(s, extra, a);
			free(a);
		}
		msg_addrlist_free(&l);
	}
	if (!addressed) {
		*reason_r = "not addressed to us (To/Cc)";
		return 0;
	}
	return 1;
}

int
ack_gate_limits(const struct ack_settings *s, struct store *store,
		const char *sender, int64_t issue, time_t now,
		const char **reason_r, const char **error_r)
{
	int64_t n;

	if (s->global_per_minute > 0) {
		n = store_ack_count(store, NULL, -1, now - 60, error_r);
		if (n < 0)
			return -1;
		if (n >= s->global_per_minute) {
			log_warnx("ACKNOWLEDGEMENT STORM: %lld answers in the "
				  "last minute (limit %ld): not answering "
				  "%s",
				  (long long)n, s->global_per_minute, sender);
			*reason_r = "global limit per minute reached (storm)";
			return 0;
		}
	}
	if (issue > 0 && s->period > 0) {
		n = store_ack_count(store, sender, issue, now - s->period,
				    error_r);
		if (n < 0)
			return -1;
		if (n > 0) {
			*reason_r = "already answered this sender about this "
				    "issue in the period";
			return 0;
		}
	}
	if (s->daily_cap > 0) {
		n = store_ack_count(store, sender, -1, now - 86400, error_r);
		if (n < 0)
			return -1;
		if (n >= s->daily_cap) {
			*reason_r = "daily limit for this sender reached";
			return 0;
		}
	}
	return 1;
}
