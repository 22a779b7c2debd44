/*
 * msg-decode.c - the GLib/GMime part of header access: RFC 2047 encoded
 * words and raw 8-bit text decoded to UTF-8, and RFC 5322 dates. Kept
 * apart from msg-header.c so that a program reading raw headers only
 * (the plain delivery path, filter/lite.c) links neither library.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "msg-private.h"

static bool
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Raw 8-bit text: kept when valid UTF-8, else read as Windows-1252. */
static char *
to_utf8(const char *s)
{
	gsize n;
	char *conv;
	char *r;

	if (g_utf8_validate(s, -1, NULL))
		return xstrdup(s);
	conv = g_convert_with_fallback(s, -1, "UTF-8", "WINDOWS-1252", "?",
				       NULL, &n, NULL);
	if (conv == NULL)
		conv = g_convert_with_fallback(s, -1, "UTF-8", "ISO-8859-1",
					       "?", NULL, &n, NULL);
	if (conv == NULL)
		return xstrdup(s);
	r = xstrdup(conv);
	g_free(conv);
	return r;
}

/* Length of the encoded word "=?charset?X?text?=" at s, or 0. */
static size_t
encoded_word_len(const char *s)
{
	const char *p = s + 2, *q;

	if (s[0] != '=' || s[1] != '?')
		return 0;
	if ((q = strchr(p, '?')) == NULL || q == p)
		return 0;
	if (strchr("BbQq", q[1]) == NULL || q[1] == '\0' || q[2] != '?')
		return 0;
	for (p = q + 3; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		if (p[0] == '?' && p[1] == '=')
			return (size_t)(p + 2 - s);
	return 0;
}

/* Rewrites runs of adjacent base64 encoded words of one charset into
   one word: GMime joins such words' text before decoding, and a word's
   '=' padding then ends the text early; joining the bytes instead also
   keeps a character split across words whole. */
static char *
join_base64_words(const char *s)
{
	struct str out = STR_INIT, gap = STR_INIT;
	GByteArray *run = NULL;
	char *run_cs = NULL;

	while (*s != '\0') {
		size_t n = encoded_word_len(s);
		const char *q1 = n > 0 ? strchr(s + 2, '?') : NULL;

		if (n > 0 && (q1[1] == 'B' || q1[1] == 'b')) {
			char *cs = xstrndup(s + 2, (size_t)(q1 - s - 2));
			char *text =
			    xstrndup(q1 + 3, n - (size_t)(q1 + 3 - s) - 2);
			gsize blen;
			guchar *bytes;

			if (run != NULL && strcasecmp(cs, run_cs) != 0) {
				char *b64 =
				    g_base64_encode(run->data, run->len);

				str_printf(&out, "=?%s?B?%s?=", run_cs, b64);
				g_free(b64);
				g_byte_array_free(run, TRUE);
				run = NULL;
				xfree(run_cs);
				str_append(&out, " ");
			}
			if (run == NULL) {
				str_append_n(&out, gap.s, gap.len);
				run = g_byte_array_new();
				run_cs = cs;
			} else
				free(cs);
			str_truncate(&gap, 0);
			/* lenient about padding, as mail readers are:
			   "VEVTVA=" is "TEST" */
			{
				size_t tl = strlen(text);

				while (tl > 0 && text[tl - 1] == '=')
					tl--;
				if (tl % 4 == 1)
					tl--;
				text = xreallocarray(text, tl + 4, 1);
				while (tl % 4 != 0)
					text[tl++] = '=';
				text[tl] = '\0';
			}
			bytes = g_base64_decode(text, &blen);
			g_byte_array_append(run, bytes, (guint)blen);
			g_free(bytes);
			free(text);
			s += n;
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			str_appendc(&gap, *s++);
			continue;
		}
		if (run != NULL) {
			char *b64 = g_base64_encode(run->data, run->len);

			str_printf(&out, "=?%s?B?%s?=", run_cs, b64);
			g_free(b64);
			g_byte_array_free(run, TRUE);
			run = NULL;
			xfree(run_cs);
		}
		str_append_n(&out, gap.s, gap.len);
		str_truncate(&gap, 0);
		if (n > 0) {
			str_append_n(&out, s, n);
			s += n;
		} else
			str_appendc(&out, *s++);
	}
	if (run != NULL) {
		char *b64 = g_base64_encode(run->data, run->len);

		str_printf(&out, "=?%s?B?%s?=", run_cs, b64);
		g_free(b64);
		g_byte_array_free(run, TRUE);
		free(run_cs);
	}
	str_append_n(&out, gap.s, gap.len);
	str_free(&gap);
	return str_steal(&out);
}

char *
msg_header_decode(const char *s)
{
	char *joined, *dec, *r;

	if (strstr(s, "=?") == NULL)
		return is_ascii(s) ? xstrdup(s) : to_utf8(s);
	/* blanks before a first encoded word go with it (as Dovecot
	   decodes a value that starts on a folded line) */
	{
		const char *p = s + strspn(s, " \t\r\n");

		if (p != s && encoded_word_len(p) > 0)
			s = p;
	}
	msg_gmime_init();
	joined = join_base64_words(s);
	dec = g_mime_utils_header_decode_text(NULL, joined);
	free(joined);
	if (dec == NULL)
		return to_utf8(s);
	r = to_utf8(dec);
	g_free(dec);
	return r;
}

time_t
msg_date_parse(const char *s)
{
	GDateTime *dt;
	time_t t = -1;

	msg_gmime_init();
	dt = g_mime_utils_header_decode_date(s);
	if (dt != NULL) {
		t = (time_t)g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	return t;
}

time_t
msg_date(struct msg *msg)
{
	char *v = msg_header_get(msg, "Date", false);
	time_t t;

	if (v == NULL)
		return -1;
	t = msg_date_parse(v);
	free(v);
	return t;
}
