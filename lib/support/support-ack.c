/*
 * support-ack.c - answers to customers: settings, signed Message-IDs,
 * composing the message (GMime: RFC 2047 headers, quoted-printable
 * UTF-8 text) and queueing it in the outbox with its log entry.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <gmime/gmime.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/random.h>
#include <unistd.h>

#include "msg.h"
#include "notice.h"
#include "store.h"
#include "support-ack.h"
#include "transport.h"

#ifndef ACKMAIL_DATADIR
#define ACKMAIL_DATADIR "/usr/local/share/ackmail"
#endif

/* ---- settings ---- */

static char *
conf_dup(const struct config *c, const char *section, const char *key,
	 const char *def)
{
	const char *v = config_get(c, section, NULL, key);

	if (v == NULL || *v == '\0')
		return def != NULL ? xstrdup(def) : NULL;
	return xstrdup(v);
}

int
ack_settings_load(const struct config *c, struct ack_settings *s,
		  char **error_r)
{
	struct strlist raw = {0};
	const char *v;
	char *pattern;

	memset(s, 0, sizeof(*s));
	*error_r = NULL;
	if (config_get_bool(c, "ack", "enabled", true, &s->enabled) < 0) {
		*error_r = xstrdup("[ack] enabled: not a boolean");
		return -1;
	}
	if ((v = config_get(c, "support", NULL, "address")) != NULL)
		strlist_split(&raw, v, " \t,");
	for (size_t i = 0; i < raw.n; i++)
		strlist_add_owned(&s->addresses, msg_addr_normalize(raw.v[i]));
	strlist_free(&raw);
	if ((v = config_get(c, "support", NULL, "staff")) != NULL)
		strlist_split(&raw, v, " \t,");
	for (size_t i = 0; i < raw.n; i++)
		strlist_add_owned(&s->staff, msg_addr_normalize(raw.v[i]));
	strlist_free(&raw);
	s->name = conf_dup(c, "support", "name", "Support");
	s->phone = conf_dup(c, "support", "phone", NULL);
	s->business_hours = conf_dup(c, "support", "business_hours", NULL);
	s->response_time = conf_dup(c, "support", "response_time", NULL);
	s->hostname = conf_dup(c, "support", "hostname", NULL);
	if (s->hostname == NULL && s->addresses.n > 0 &&
	    strchr(s->addresses.v[0], '@') != NULL)
		s->hostname = xstrdup(strchr(s->addresses.v[0], '@') + 1);
	if (s->hostname == NULL) {
		char h[256];

		if (gethostname(h, sizeof(h)) < 0 || h[0] == '\0')
			snprintf(h, sizeof(h), "localhost");
		h[sizeof(h) - 1] = '\0';
		s->hostname = xstrdup(h);
	}
	s->secret = conf_dup(c, "support", "secret", NULL);
	s->loop_header =
	    conf_dup(c, "support", "loop_header", "X-Ackmail-Loop");
	v = config_get(c, "ack", NULL, "envelope_sender");
	s->envelope_sender =
	    xstrdup(v == NULL || strcmp(v, "<>") == 0 ? "" : v);
	s->template_dir = conf_dup(c, "ack", "template_dir",
				   ACKMAIL_DATADIR "/rules/templates");
	s->template = conf_dup(c, "ack", "template", "ack");
	s->reminder_template =
	    conf_dup(c, "notices", "reminder_template", NULL);
	s->reminder_template_set = s->reminder_template != NULL;
	if (s->reminder_template == NULL)
		s->reminder_template = xstrdup(NOTICES_REMINDER_TEMPLATE);
	s->on_duty_template = conf_dup(c, "notices", "on_duty_template", NULL);
	s->on_duty_template_set = s->on_duty_template != NULL;
	if (s->on_duty_template == NULL)
		s->on_duty_template = xstrdup(NOTICES_ON_DUTY_TEMPLATE);
	s->notice_lang = conf_dup(c, "notices", "lang", NULL);
	s->notice_lang_set = s->notice_lang != NULL;
	if (s->notice_lang == NULL)
		s->notice_lang = xstrdup("en");
	if (config_get_duration(c, "ack", "period", 86400, &s->period) < 0 ||
	    config_get_long(c, "ack", "daily_cap", 20, &s->daily_cap) < 0 ||
	    config_get_long(c, "ack", "global_per_minute", 30,
			    &s->global_per_minute) < 0) {
		*error_r = xstrdup("[ack] period, daily_cap or "
				   "global_per_minute is malformed");
		ack_settings_free(s);
		return -1;
	}
	pattern = conf_dup(c, "ack", "robot_pattern", NULL);
	if (pattern != NULL) {
		int err;
		PCRE2_SIZE off;

		s->robot =
		    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				  PCRE2_CASELESS, &err, &off, NULL);
		if (s->robot == NULL) {
			PCRE2_UCHAR buf[120];

			pcre2_get_error_message(err, buf, sizeof(buf));
			*error_r = xasprintf("[ack] robot_pattern: %s at "
					     "offset %zu",
					     (const char *)buf, (size_t)off);
			free(pattern);
			ack_settings_free(s);
			return -1;
		}
		free(pattern);
	}
	return 0;
}

void
ack_settings_free(struct ack_settings *s)
{
	strlist_free(&s->addresses);
	strlist_free(&s->staff);
	free(s->name);
	free(s->phone);
	free(s->business_hours);
	free(s->response_time);
	free(s->hostname);
	free(s->secret);
	free(s->loop_header);
	free(s->envelope_sender);
	free(s->template_dir);
	free(s->template);
	free(s->reminder_template);
	free(s->on_duty_template);
	free(s->notice_lang);
	if (s->robot != NULL)
		pcre2_code_free(s->robot);
	memset(s, 0, sizeof(*s));
}

/* ---- signed Message-IDs ---- */

/* HMAC-SHA256 of text under the secret (or the host name when no secret
   is set), as 16 hex digits. */
static void
id_mac(const struct ack_settings *s, const char *text, char out[17])
{
	const char *key = s->secret != NULL ? s->secret : s->hostname;
	unsigned char d[32];

	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, strlen(key), text,
			     strlen(text), d) < 0)
		memset(d, 0, sizeof(d));
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

char *
ack_message_id_new(const struct ack_settings *s, int64_t issue)
{
	unsigned char rnd[6];
	char r[13], mac[17];
	char *base, *id;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(rand() & 0xff);
	for (int i = 0; i < 6; i++)
		snprintf(r + 2 * i, 3, "%02x", rnd[i]);
	base = xasprintf("ackmail.%lld.%llx.%s", (long long)issue,
			 (unsigned long long)clock_now(), r);
	id_mac(s, base, mac);
	id = xasprintf("%s.%s@%s", base, mac, s->hostname);
	free(base);
	return id;
}

bool
ack_message_id_is_ours(const struct ack_settings *s, const char *id)
{
	char *copy, *at, *dot;
	char mac[17];
	bool ok;

	while (*id == '<' || *id == ' ')
		id++;
	if (strncmp(id, "ackmail.", 8) != 0)
		return false;
	copy = xstrdup(id);
	copy[strcspn(copy, ">")] = '\0';
	at = strrchr(copy, '@');
	if (at == NULL) {
		free(copy);
		return false;
	}
	*at = '\0';
	dot = strrchr(copy, '.');
	if (dot == NULL || strlen(dot + 1) != 16) {
		free(copy);
		return false;
	}
	*dot = '\0';
	id_mac(s, copy, mac);
	ok = strcasecmp(mac, dot + 1) == 0;
	free(copy);
	return ok;
}

/* ---- composing ---- */

/* Reply and forward prefixes of the common mail clients and languages. */
static const char *const subject_prefixes[] = {
    "re",  "aw",  "fwd", "fw",	"wg",  "sv",	 "antw", "tr",	"rv",	"vs",
    "ref", "odp", "r",	 "res", "enc", "doorst", "vl",	 "ynt", "auto",
};

/* Removes every "[#123]" tag in place. */
static void
remove_tags(char *s)
{
	char *p = s;

	while ((p = strstr(p, "[#")) != NULL) {
		char *q = p + 2;

		while (isdigit((unsigned char)*q))
			q++;
		if (q > p + 2 && *q == ']') {
			memmove(p, q + 1, strlen(q + 1) + 1);
			continue;
		}
		p += 2;
	}
}

char *
ack_subject_clean(const char *subject)
{
	char *s = tmpl_clean_value(subject != NULL ? subject : "");
	bool again = true;

	remove_tags(s);
	while (again) {
		char *p = s;
		size_t n;

		again = false;
		while (*p == ' ')
			p++;
		n = 0;
		while (isalpha((unsigned char)p[n]))
			n++;
		for (size_t i = 0; i < N_ELEMENTS(subject_prefixes) && n > 0;
		     i++) {
			const char *q = p + n;

			if (strlen(subject_prefixes[i]) != n ||
			    strncasecmp(p, subject_prefixes[i], n) != 0)
				continue;
			/* "Re[2]:" and "AW(3):" too */
			if (*q == '[' || *q == '(') {
				const char *e = q + 1;

				while (isdigit((unsigned char)*e))
					e++;
				if (*e == ']' || *e == ')')
					q = e + 1;
			}
			while (*q == ' ')
				q++;
			if (*q == ':' || (unsigned char)*q == 0xef) {
				/* ':' or the full-width colon U+FF1A */
				if (*q == ':')
					q++;
				else if ((unsigned char)q[1] == 0xbc &&
					 (unsigned char)q[2] == 0x9a)
					q += 3;
				else
					break;
				memmove(s, q, strlen(q) + 1);
				again = true;
			}
			break;
		}
	}
	{
		char *t = tmpl_clean_value(s);

		free(s);
		s = t;
	}
	return s;
}

static bool
address_usable(const char *a)
{
	const char *at = strchr(a, '@');

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[],;:\\\"", *p))
			return false;
	return strlen(a) < 256;
}

/* The decoded display name of the first From address, or NULL. */
static char *
from_name(struct msg *msg)
{
	struct msg_addrlist l = {0};
	char *name = NULL;

	if (msg == NULL)
		return NULL;
	msg_addr_header(msg, "From", &l);
	if (l.n > 0 && l.v[0].name != NULL && l.v[0].name[0] != '\0')
		name = tmpl_clean_value(l.v[0].name);
	msg_addrlist_free(&l);
	return name;
}

/* "References" of the answer: the original's References (the last ten)
   and its Message-ID. */
static char *
references(struct msg *msg, const char *mid)
{
	struct strlist ids = {0};
	struct str out = STR_INIT;
	size_t from;

	if (msg != NULL) {
		char *v = msg_header_get(msg, "References", false);

		if (v != NULL) {
			char *p = v;

			while ((p = strchr(p, '<')) != NULL) {
				char *e = strchr(p, '>');

				if (e == NULL)
					break;
				strlist_add_owned(
				    &ids, xstrndup(p, (size_t)(e - p + 1)));
				p = e + 1;
			}
			free(v);
		}
	}
	from = ids.n > 10 ? ids.n - 10 : 0;
	for (size_t i = from; i < ids.n; i++) {
		char *c = tmpl_clean_value(ids.v[i]);

		if (strchr(c, ' ') == NULL) {
			str_append(&out, c);
			str_appendc(&out, ' ');
		}
		free(c);
	}
	if (mid != NULL)
		str_printf(&out, "<%s>", mid);
	strlist_free(&ids);
	if (out.len > 0 && out.s[out.len - 1] == ' ')
		str_truncate(&out, out.len - 1);
	return str_steal(&out);
}

static bool
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

int
ack_compose(const struct ack_settings *s, const struct ack_request *req,
	    const char *to, char **data_r, size_t *len_r, char **message_id_r,
	    char **error_r)
{
	const char *orig_subject = req->subject;
	const char *orig_mid = req->in_reply_to;
	char *clean_subject, *name, *issue_str, *subject = NULL, *body = NULL;
	char *text = NULL, *path = NULL, *mid, *refs, *out_text;
	char date[64];
	GMimeMessage *m;
	GMimeTextPart *part;
	GDateTime *dt;
	InternetAddressList *list;
	GMimeFormatOptions *fo;

	*data_r = NULL;
	*message_id_r = NULL;
	*error_r = NULL;
	if (orig_subject == NULL && req->msg != NULL)
		orig_subject = msg_subject(req->msg);
	if (orig_mid == NULL && req->msg != NULL)
		orig_mid = msg_message_id(req->msg);
	clean_subject = ack_subject_clean(orig_subject);
	name = req->to_name != NULL ? tmpl_clean_value(req->to_name)
				    : from_name(req->msg);
	issue_str = req->issue > 0 ? xasprintf("%lld", (long long)req->issue)
				   : xstrdup("");
	clock_rfc5322(clock_now(), date, sizeof(date));

	if (req->vac_body != NULL) {
		/* Sieve vacation: the script's own text */
		body = xstrdup(req->vac_body);
		subject = req->vac_subject != NULL
			      ? tmpl_clean_value(req->vac_subject)
			      : xasprintf("Auto: %s", clean_subject);
	} else {
		const struct tmpl_var vars[] = {
		    {"customer_name", name, false},
		    {"customer_email", to, false},
		    {"issue", issue_str, false},
		    {"subject", clean_subject, false},
		    {"response_time", s->response_time, false},
		    {"business_hours", s->business_hours, false},
		    {"support_phone", s->phone, false},
		    {"support_name", s->name, false},
		    {"support_address",
		     s->addresses.n > 0 ? s->addresses.v[0] : NULL, false},
		    {"note", req->note, false},
		    {"date", date, false},
		};
		const char *tname =
		    req->template != NULL ? req->template : s->template;

		if (tmpl_load(s->template_dir, tname, req->lang, &text, &path,
			      error_r) < 0)
			goto fail;
		if (tmpl_render(text, strlen(text), vars, N_ELEMENTS(vars),
				false, &subject, &body, error_r) < 0) {
			char *e = xasprintf("%s: %s", path, *error_r);

			free(*error_r);
			*error_r = e;
			goto fail;
		}
		if (subject == NULL)
			subject =
			    req->issue > 0
				? xasprintf("[#%lld] %s", (long long)req->issue,
					    clean_subject)
				: xasprintf("Re: %s", clean_subject);
	}
	/* one tag, whatever the template and the values did */
	if (req->issue > 0) {
		char tag[32];
		char *t;

		snprintf(tag, sizeof(tag), "[#%lld]", (long long)req->issue);
		t = xstrdup(subject);
		remove_tags(t);
		free(subject);
		subject = xasprintf("%s %s", tag, t[0] == ' ' ? t + 1 : t);
		free(t);
		t = tmpl_clean_value(subject);
		free(subject);
		subject = t;
	}

	g_mime_init();
	m = g_mime_message_new(TRUE);
	list = g_mime_message_get_from(m);
	{
		const char *from_addr = req->vac_from != NULL ? req->vac_from
					: s->addresses.n > 0 ? s->addresses.v[0]
							     : NULL;
		char *fname = tmpl_clean_value(s->name);
		struct msg_addrlist fl = {0};

		if (from_addr == NULL)
			from_addr = "postmaster";
		/* vacation :from may be "Name <addr>" */
		if (req->vac_from != NULL &&
		    msg_addr_parse(from_addr, &fl) > 0 &&
		    fl.v[0].addr[0] != '\0') {
			if (fl.v[0].name != NULL && fl.v[0].name[0] != '\0') {
				free(fname);
				fname = tmpl_clean_value(fl.v[0].name);
			}
			from_addr = fl.v[0].addr;
		}
		internet_address_list_add(
		    list, internet_address_mailbox_new(fname, from_addr));
		msg_addrlist_free(&fl);
		free(fname);
	}
	list = g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO);
	internet_address_list_add(list, internet_address_mailbox_new(name, to));
	g_mime_message_set_subject(m, subject, "utf-8");
	dt = g_date_time_new_from_unix_local((gint64)clock_now());
	g_mime_message_set_date(m, dt);
	g_date_time_unref(dt);
	mid = req->message_id != NULL ? xstrdup(req->message_id)
				      : ack_message_id_new(s, req->issue);
	g_mime_message_set_message_id(m, mid);
	if (orig_mid != NULL) {
		char *c = tmpl_clean_value(orig_mid);

		if (strchr(c, ' ') == NULL && strchr(c, '<') == NULL) {
			char *v = xasprintf("<%s>", c);

			g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To",
						 v, NULL);
			free(v);
			refs = references(req->msg, c);
			g_mime_object_set_header(GMIME_OBJECT(m), "References",
						 refs, NULL);
			free(refs);
		}
		free(c);
	}
	/* RFC 3834: an answer to a message is auto-replied; a notice
	   nobody wrote to us about (resolution) is auto-generated */
	g_mime_object_set_header(
	    GMIME_OBJECT(m), "Auto-Submitted",
	    req->msg != NULL ? "auto-replied" : "auto-generated", NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Auto-Response-Suppress",
				 "All", NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "Precedence", "bulk", NULL);
	g_mime_object_set_header(
	    GMIME_OBJECT(m), s->loop_header,
	    s->addresses.n > 0 ? s->addresses.v[0] : s->hostname, NULL);

	if (req->vac_mime && req->vac_body != NULL) {
		/* vacation :mime: the script gave a whole MIME entity */
		GMimeStream *ms = g_mime_stream_mem_new_with_buffer(
		    req->vac_body, strlen(req->vac_body));
		GMimeParser *parser = g_mime_parser_new_with_stream(ms);
		GMimeObject *entity =
		    g_mime_parser_construct_part(parser, NULL);

		g_object_unref(parser);
		g_object_unref(ms);
		if (entity != NULL) {
			g_mime_message_set_mime_part(m, entity);
			g_object_unref(entity);
			goto format;
		}
	}
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(part, body);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(
	    GMIME_PART(part), ascii_only(body)
				  ? GMIME_CONTENT_ENCODING_7BIT
				  : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	g_object_unref(part);

format:
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	out_text = g_mime_object_to_string(GMIME_OBJECT(m), fo);
	g_mime_format_options_free(fo);
	g_object_unref(m);

	*data_r = xstrdup(out_text);
	*len_r = strlen(*data_r);
	g_free(out_text);
	*message_id_r = mid;
	free(clean_subject);
	free(name);
	free(issue_str);
	free(subject);
	free(body);
	free(text);
	free(path);
	return 0;
fail:
	free(clean_subject);
	free(name);
	free(issue_str);
	free(subject);
	free(body);
	free(text);
	free(path);
	return -1;
}

/* The variables ack_compose fills in, for the strict check. */
static const char *const ack_var_names[] = {
    "customer_name",   "customer_email", "issue",	  "subject",
    "response_time",   "business_hours", "support_phone", "support_name",
    "support_address", "note",		 "date",	  NULL,
};

/* What `ackmail notice send` gives notice.*.txt (filter/cmd-notice.c). */
static const char *const notice_var_names[] = {
    "body",	     "deadline",     "change_at",     "issue", "subject",
    "customer_name", "support_name", "support_phone", NULL,
};

/* Variables named in list (NULL-terminated), each with the value "x". */
static size_t
check_vars(const char *const *list, struct tmpl_var *vars, size_t max)
{
	size_t n = 0;

	for (; list[n] != NULL && n < max; n++)
		vars[n] = (struct tmpl_var){list[n], "x", false};
	return n;
}

/* True when file is name.txt or name.LANG.txt. */
static bool
template_is(const char *file, const char *name)
{
	size_t n = strlen(name);
	const char *dot;

	if (strncmp(file, name, n) != 0 || file[n] != '.')
		return false;
	if (strcmp(file + n, ".txt") == 0)
		return true;
	dot = strchr(file + n + 1, '.');
	return dot != NULL && strcmp(dot, ".txt") == 0;
}

int
ack_templates_check(const struct ack_settings *s, struct str *errors)
{
	struct tmpl_var vars[32];
	char *item =
	    xasprintf("%s%s", s->on_duty_template, NOTICES_ITEM_SUFFIX);
	struct dirent *de;
	DIR *d;
	int problems = 0;

	if ((d = opendir(s->template_dir)) == NULL) {
		/* not installed yet is not a configuration error; the
		   deliveries log it when they need a template */
		log_warnx("%s: no template directory (acknowledgements cannot "
			  "be composed until it exists)",
			  s->template_dir);
		free(item);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name), nvars;
		char *path, *text, *subject, *body, *err;
		size_t len;

		if (n < 5 || strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		/* who renders it, with which variables (the shipped
		   names count too, configured or not) */
		if (template_is(de->d_name, item) ||
		    template_is(de->d_name,
				NOTICES_ON_DUTY_TEMPLATE NOTICES_ITEM_SUFFIX) ||
		    template_is(de->d_name, s->reminder_template) ||
		    template_is(de->d_name, NOTICES_REMINDER_TEMPLATE))
			nvars = check_vars(notices_notice_vars, vars,
					   N_ELEMENTS(vars));
		else if (template_is(de->d_name, s->on_duty_template) ||
			 template_is(de->d_name, NOTICES_ON_DUTY_TEMPLATE))
			nvars = check_vars(notices_on_duty_vars, vars,
					   N_ELEMENTS(vars));
		else if (strncmp(de->d_name, "notice", 6) == 0)
			nvars = check_vars(notice_var_names, vars,
					   N_ELEMENTS(vars));
		else
			nvars =
			    check_vars(ack_var_names, vars, N_ELEMENTS(vars));
		path = xasprintf("%s/%s", s->template_dir, de->d_name);
		if (path_read_file(path, 65536, &text, &len) < 0) {
			str_printf(errors, "%s: cannot read\n", path);
			problems++;
		} else {
			if (tmpl_render(text, len, vars, nvars, true, &subject,
					&body, &err) < 0) {
				str_printf(errors, "%s: %s\n", path, err);
				free(err);
				problems++;
			} else {
				free(subject);
				free(body);
			}
			free(text);
		}
		free(path);
	}
	closedir(d);
	/* the templates the configuration names must be there (the
	   built-in text would go out instead, every time) */
	for (int i = 0; i < 3; i++) {
		const char *name = i == 0   ? s->reminder_template
				   : i == 1 ? s->on_duty_template
					    : item;
		bool named =
		    i == 0 ? s->reminder_template_set : s->on_duty_template_set;
		/* a language that cannot name a file fails them all */
		bool set = named || s->notice_lang_set;
		char *text, *path, *err;

		if (!set)
			continue;
		if (tmpl_load(s->template_dir, name, s->notice_lang, &text,
			      &path, &err) < 0) {
			str_printf(errors, "[notices] %s: %s\n",
				   !named   ? "lang"
				   : i == 0 ? "reminder_template"
					    : "on_duty_template",
				   err);
			free(err);
			problems++;
			continue;
		}
		free(text);
		free(path);
	}
	free(item);
	return problems;
}

/* ---- queueing ---- */

static void
log_suppressed(struct store *store, const struct ack_request *req,
	       const char *sender, const char *reason)
{
	const char *mid = req->msg != NULL ? msg_message_id(req->msg) : NULL;
	const char *error;

	log_info("%s: not answering <%s> from %s: %s", req->kind,
		 mid != NULL ? mid : "", sender != NULL ? sender : "-", reason);
	if (store_ack_log_add(store, sender, req->issue, clock_now(), req->kind,
			      mid, reason, 0, &error) < 0)
		log_warnx("%s: cannot log the suppression: %s", req->kind,
			  error);
}

int
ack_queue(struct store *store, const struct ack_settings *s,
	  const struct ack_request *req, int64_t *outbox_id_r,
	  const char **reason_r, const char **error_r)
{
	static char errbuf[512];
	struct strlist rcpts = {0};
	char *to = NULL, *data = NULL, *mid = NULL, *err = NULL;
	size_t len;
	int r;

	*outbox_id_r = 0;
	if (!s->enabled && strcmp(req->kind, "ack") == 0) {
		*reason_r = "acknowledgements disabled ([ack] enabled)";
		log_suppressed(store, req, NULL, *reason_r);
		return 0;
	}
	if (req->to != NULL)
		to = msg_addr_normalize(req->to);
	else if (req->msg == NULL ||
		 ack_gate_recipient(req->msg, &to, reason_r) <= 0) {
		if (req->msg == NULL)
			*reason_r = "nobody to answer";
		log_suppressed(store, req, NULL, *reason_r);
		return 0;
	}
	if (!req->skip_gate) {
		if (req->msg != NULL &&
		    ack_gate_message(s, req->msg, req->extra_addresses,
				     reason_r) == 0) {
			log_suppressed(store, req, to, *reason_r);
			free(to);
			return 0;
		}
		r = ack_gate_limits(s, store, to, req->issue, clock_now(),
				    reason_r, error_r);
		if (r <= 0) {
			if (r == 0)
				log_suppressed(store, req, to, *reason_r);
			free(to);
			return r;
		}
	}
	if (!address_usable(to)) {
		*reason_r = "the address cannot be answered";
		log_suppressed(store, req, to, *reason_r);
		free(to);
		return 0;
	}
	if (ack_compose(s, req, to, &data, &len, &mid, &err) < 0) {
		snprintf(errbuf, sizeof(errbuf), "cannot compose: %s", err);
		free(err);
		*reason_r = errbuf;
		log_warnx("%s: %s", req->kind, errbuf);
		log_suppressed(store, req, to, errbuf);
		free(to);
		return 0;
	}
	strlist_add(&rcpts, to);
	r = outbox_queue(store, req->kind, s->envelope_sender, &rcpts, data,
			 len, mid, req->issue, outbox_id_r, error_r);
	if (r == 0)
		r = store_ack_log_add(
		    store, to, req->issue, clock_now(), req->kind,
		    req->msg != NULL ? msg_message_id(req->msg) : NULL, NULL,
		    *outbox_id_r, error_r);
	if (r == 0)
		log_info("%s: queued answer %lld <%s> to %s about #%lld",
			 req->kind, (long long)*outbox_id_r, mid, to,
			 (long long)req->issue);
	strlist_free(&rcpts);
	free(data);
	free(mid);
	free(to);
	return r < 0 ? -1 : 1;
}
