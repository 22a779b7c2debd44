/*
 * ext-vacation.c - the vacation extension (RFC 5230, with :seconds of
 * RFC 6131): collects a vacation action with its period clamped to the
 * configured limits; whether a reply may go out at execution (the
 * reply-or-not rules) is decided by lib/engine's vacation_decide, which
 * sieve_vacation_decide wraps for the testsuite.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

#define DAY 86400L

static const struct sieve_tag_def vacation_tag_table[] = {
    {"days", NULL, SLOT_DAYS, 'N', 0},
    {"seconds", "vacation-seconds", SLOT_SECONDS, 'N', 0},
    {"subject", NULL, SLOT_SUBJECT, 'S', 0},
    {"from", NULL, SLOT_FROM, 'S', 0},
    {"addresses", NULL, SLOT_ADDRESSES, 'L', 0},
    {"mime", NULL, SLOT_MIME, 0, 0},
    {"handle", NULL, SLOT_HANDLE, 'S', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const vacation_tags[] = {vacation_tag_table,
							    NULL};

static int
vacation_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_DAYS] && n->cmd.has[SLOT_SECONDS]) {
		sieve_error(v, n,
			    "the vacation command takes either :days or "
			    ":seconds, not both");
		return -1;
	}
	if (n->cmd.has[SLOT_FROM]) {
		const struct sieve_string *s = &n->cmd.tag[SLOT_FROM]->strs[0];
		struct msg_addrlist l = {0};
		int ok;

		if (s->dynamic)
			return 0;
		ok = msg_addr_parse(s->s, &l) == 1 && l.v[0].domain != NULL;
		msg_addrlist_free(&l);
		if (!ok) {
			sieve_error(v, n,
				    "specified :from address '%s' is invalid "
				    "for vacation action",
				    s->s);
			return -1;
		}
	}
	return 0;
}

static long
period(const struct config *config, const char *key, long def)
{
	long s = def;

	if (config != NULL)
		config_get_duration(config, "sieve", key, def, &s);
	return s;
}

/* The default handle: the reason and the tags that shape the reply, so
   a changed text goes out again to senders already answered. */
static char *
default_handle(const char *reason, const char *subject, const char *from,
	       bool mime)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[3] = {reason, subject, from};

	for (size_t i = 0; i < 3; i++) {
		for (const char *p = parts[i] != NULL ? parts[i] : "";
		     *p != '\0'; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	return xasprintf("%016llx%s", (unsigned long long)h, mime ? "m" : "");
}

static int
vacation_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_cmd *c = &n->cmd;
	struct action *a = action_new(ACTION_VACATION);
	long min = period(run->config, "vacation_min_period", DAY);
	long max = period(run->config, "vacation_max_period", 0);
	long secs = period(run->config, "vacation_default_period", 7 * DAY);
	const char *sender = msg_envelope_from(run->msg);

	if (c->has[SLOT_DAYS])
		secs = (long)(c->tag[SLOT_DAYS]->number > 100000
				  ? 100000 * DAY
				  : (long)c->tag[SLOT_DAYS]->number * DAY);
	else if (c->has[SLOT_SECONDS])
		secs = c->tag[SLOT_SECONDS]->number > (uint64_t)(100000 * DAY)
			   ? 100000 * DAY
			   : (long)c->tag[SLOT_SECONDS]->number;
	if (min > 0 && secs < min)
		secs = min;
	if (max > 0 && secs > max)
		secs = max;
	a->vac_seconds = secs;
	a->vac_body = sieve_expand(run, &c->pos[0]->strs[0]);
	if (c->has[SLOT_SUBJECT])
		a->vac_subject =
		    sieve_expand(run, &c->tag[SLOT_SUBJECT]->strs[0]);
	if (c->has[SLOT_FROM])
		a->vac_from = sieve_expand(run, &c->tag[SLOT_FROM]->strs[0]);
	a->vac_mime = c->has[SLOT_MIME];
	if (c->has[SLOT_HANDLE])
		a->vac_handle =
		    sieve_expand(run, &c->tag[SLOT_HANDLE]->strs[0]);
	else
		a->vac_handle = default_handle(a->vac_body, a->vac_subject,
					       a->vac_from, a->vac_mime);
	if (c->has[SLOT_ADDRESSES]) {
		struct strlist l = {0};

		sieve_expand_list(run, c->tag[SLOT_ADDRESSES], &l);
		for (size_t i = 0; i < l.n; i++)
			strlist_add(&a->args, l.v[i]);
		strlist_free(&l);
	}
	a->vac_to = sender != NULL ? xstrdup(sender) : NULL;
	return sieve_add_action(run, n, a);
}

static const struct sieve_cmd_def vacation = {
    .name = "vacation",
    .kind = DEF_COMMAND,
    .pos = "S",
    .tags = vacation_tags,
    .validate = vacation_validate,
    .exec = vacation_exec,
};

static const struct sieve_cmd_def *const defs[] = {&vacation, NULL};

const struct sieve_extension sieve_ext_vacation = {
    .name = "vacation",
    .defs = defs,
};

/* ---- the reply-or-not rules (lib/engine vacation.c) ---- */

struct vstore_adapter {
	const struct sieve_vacation_store *store;
};

static int
adapter_seen(void *ctx, const char *sender, const char *handle, time_t since)
{
	const struct sieve_vacation_store *st = ctx;

	return st->vacation_seen(st->ctx, sender, handle, since);
}

static int
adapter_record(void *ctx, const char *sender, const char *handle, time_t now)
{
	const struct sieve_vacation_store *st = ctx;

	return st->vacation_record(st->ctx, sender, handle, now);
}

int
sieve_vacation_decide(struct msg *msg, const struct action *a,
		      const char *recipient,
		      const struct sieve_vacation_store *store,
		      const char **reason_r)
{
	struct vacation_records rec = {
	    .seen = adapter_seen,
	    .record = adapter_record,
	    .ctx = (void *)store,
	};

	return vacation_decide(msg, a, recipient, store != NULL ? &rec : NULL,
			       reason_r);
}

/* ---- the reply ---- */

static bool
needs_encoding(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\n' || *s == '\r')
			return true;
	return false;
}

/* A header value, RFC 2047 B-encoded when it is not plain ASCII. */
static void
put_text(struct str *out, const char *s)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	size_t n = strlen(s);

	if (!needs_encoding(s)) {
		str_append(out, s);
		return;
	}
	str_append(out, "=?UTF-8?B?");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		str_appendc(out, b64[(v >> 18) & 63]);
		str_appendc(out, b64[(v >> 12) & 63]);
		str_appendc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		str_appendc(out, i + 2 < n ? b64[v & 63] : '=');
	}
	str_append(out, "?=");
}

char *
sieve_vacation_reply(struct msg *msg, const struct action *a,
		     const char *recipient)
{
	char *subj = msg_header_get(msg, "subject", true);
	char *mid = msg_header_get(msg, "message-id", false);
	char *refs = msg_header_get(msg, "references", false);
	struct str out = STR_INIT;
	char date[64];

	clock_rfc5322(clock_now(), date, sizeof(date));
	str_append(&out, "From: ");
	put_text(&out, a->vac_from != NULL ? a->vac_from
		       : recipient != NULL ? recipient
					   : "MAILER-DAEMON");
	str_printf(&out, "\nTo: <%s>\nDate: %s\nSubject: ",
		   a->vac_to != NULL ? a->vac_to : "", date);
	if (a->vac_subject != NULL) {
		put_text(&out, a->vac_subject);
	} else {
		str_append(&out, "Auto: ");
		put_text(&out, subj != NULL ? str_trim(subj) : "");
	}
	str_append(&out, "\n");
	if (mid != NULL) {
		str_trim(mid);
		str_printf(&out, "In-Reply-To: %s\nReferences: ", mid);
		if (refs != NULL)
			str_printf(&out, "%s ", str_trim(refs));
		str_printf(&out, "%s\n", mid);
	}
	str_append(&out, "Auto-Submitted: auto-replied (vacation)\n"
			 "Precedence: bulk\nMIME-Version: 1.0\n");
	if (a->vac_mime) {
		/* the reason is a MIME entity: its own headers, then body */
		str_append(&out, a->vac_body != NULL ? a->vac_body : "\n");
	} else {
		str_append(&out, "Content-Type: text/plain; charset=utf-8\n"
				 "Content-Transfer-Encoding: 8bit\n\n");
		str_append(&out, a->vac_body != NULL ? a->vac_body : "");
		if (out.len > 0 && out.s[out.len - 1] != '\n')
			str_append(&out, "\n");
	}
	free(subj);
	free(mid);
	free(refs);
	return str_steal(&out);
}
