/*
 * msg-thread.c - thread keys: Message-ID, In-Reply-To, References, the
 * subject and its normalised form, the Date.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "msg-private.h"

void msg_gmime_init(void);

/* Extracts every <id> in s; ids without brackets are taken whole when
   the field has no brackets at all. */
static void
extract_ids(const char *s, struct strlist *ids)
{
	const char *p = s;
	bool any = false;

	while ((p = strchr(p, '<')) != NULL) {
		const char *e = strchr(p, '>');
		char *id;

		if (e == NULL)
			break;
		id = xstrndup(p + 1, (size_t)(e - p - 1));
		str_trim(id);
		if (*id != '\0' && strchr(id, '@') != NULL &&
		    !strlist_contains_case(ids, id))
			strlist_add_owned(ids, id);
		else
			free(id);
		any = true;
		p = e + 1;
	}
	if (!any) {
		struct strlist words = {0};

		strlist_split(&words, s, " \t,");
		for (size_t i = 0; i < words.n; i++)
			if (strchr(words.v[i], '@') != NULL &&
			    !strlist_contains_case(ids, words.v[i]))
				strlist_add(ids, words.v[i]);
		strlist_free(&words);
	}
}

const char *
msg_message_id(struct msg *msg)
{
	char *v;

	if (msg->message_id_done)
		return msg->message_id;
	msg->message_id_done = true;
	v = msg_header_get(msg, "Message-ID", false);
	if (v == NULL)
		v = msg_header_get(msg, "Message-Id", false);
	if (v != NULL) {
		struct strlist ids = {0};

		extract_ids(v, &ids);
		if (ids.n > 0)
			msg->message_id = xstrdup(ids.v[0]);
		else if (*str_trim(v) != '\0')
			msg->message_id = xstrdup(v);
		strlist_free(&ids);
		free(v);
	}
	return msg->message_id;
}

void
msg_thread_refs(struct msg *msg, struct strlist *ids)
{
	struct strlist vals = {0};

	msg_header_get_all(msg, "References", false, &vals);
	msg_header_get_all(msg, "In-Reply-To", false, &vals);
	for (size_t i = 0; i < vals.n; i++)
		extract_ids(vals.v[i], ids);
	strlist_free(&vals);
}

const char *
msg_subject(struct msg *msg)
{
	if (msg->subject == NULL) {
		msg->subject = msg_header_get(msg, "Subject", true);
		if (msg->subject == NULL)
			msg->subject = xstrdup("");
	}
	return msg->subject;
}

/* Reply and forward prefixes in many languages, as data. */
static const char *const subject_prefixes[] = {
    "re",  "aw",  "sv",	 "vs",	"antw", "fwd", "fw",  "wg",  "tr",
    "rv",  "enc", "ref", "odp", "vl",	"r",	"rif", "i",   "doorst",
    "ynt", "ris", "res", "atb", "fs",	"πχ",	"ha",  "回复", "转发",
};

char *
msg_subject_normalize(const char *subject)
{
	char *s = xstrdup(subject), *p;
	struct str out = STR_INIT;
	bool changed = true, space = false;

	while (changed) {
		changed = false;
		p = s;
		while (*p == ' ' || *p == '\t')
			p++;
		/* [#1234] tags and [list] prefixes */
		if (*p == '[') {
			char *e = strchr(p, ']');

			if (e != NULL) {
				memmove(s, e + 1, strlen(e + 1) + 1);
				changed = true;
				continue;
			}
		}
		for (size_t i = 0; i < N_ELEMENTS(subject_prefixes); i++) {
			size_t n = strlen(subject_prefixes[i]);
			char *q = p + n;

			if (strncasecmp(p, subject_prefixes[i], n) != 0)
				continue;
			/* "Re[2]:" and "Re(2):" */
			if (*q == '[' || *q == '(') {
				char *e = strpbrk(q, "])");
				if (e != NULL)
					q = e + 1;
			}
			while (*q == ' ')
				q++;
			if (*q == ':' || strncmp(q, "\xef\xbc\x9a", 3) == 0) {
				q += *q == ':' ? 1 : 3;
				memmove(s, q, strlen(q) + 1);
				changed = true;
				break;
			}
		}
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			space = out.len > 0;
			continue;
		}
		if (space)
			str_appendc(&out, ' ');
		space = false;
		str_appendc(&out, (char)tolower((unsigned char)*p));
	}
	free(s);
	return str_steal(&out);
}

time_t
msg_date(struct msg *msg)
{
	char *v = msg_header_get(msg, "Date", false);
	GDateTime *dt;
	time_t t = -1;

	if (v == NULL)
		return -1;
	msg_gmime_init();
	dt = g_mime_utils_header_decode_date(v);
	if (dt != NULL) {
		t = (time_t)g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	free(v);
	return t;
}
