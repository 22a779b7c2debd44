/*
 * msg-thread.c - thread keys: Message-ID, In-Reply-To, References, the
 * subject and its normalised form, the Date.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg-private.h"

void
msg_thread_refs(struct msg *msg, struct strlist *ids)
{
	struct strlist vals = {0};

	msg_header_get_all(msg, "References", false, &vals);
	msg_header_get_all(msg, "In-Reply-To", false, &vals);
	for (size_t i = 0; i < vals.n; i++)
		msg_extract_ids(vals.v[i], ids);
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
    "re",  "aw",  "sv",	 "vs",	"antw", "fwd", "fw",  "wg",   "tr",
    "rv",  "enc", "ref", "odp", "vl",	"r",   "rif", "i",    "doorst",
    "ynt", "ris", "res", "atb", "fs",	"πχ",  "ha",  "回复", "转发",
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
