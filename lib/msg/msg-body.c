/*
 * msg-body.c - MIME structure through GMime, parsed on first use over the
 * bytes msg already holds; body text for body tests and for the new text
 * of replies.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "msg-private.h"

void
msg_gmime_init(void)
{
	static bool done = false;

	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* Renames (in place, same length) every Content-Type field of a header
   block after its first: a part with two takes the first, as Dovecot
   reads it, where GMime would take the last. A header block is the
   message's own and what follows a line starting with "--" (a boundary)
   up to the next empty line. */
static void
mime_first_content_type(unsigned char *p, size_t len)
{
	static const char ct[] = "content-type";
	const size_t ctlen = sizeof(ct) - 1;
	bool in_hdr = true, seen = false;
	size_t i = 0;

	while (i < len) {
		unsigned char *line = p + i;
		unsigned char *nl = memchr(line, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - i;

		i += nl != NULL ? n + 1 : n;
		if (!in_hdr) {
			if (n >= 2 && line[0] == '-' && line[1] == '-') {
				in_hdr = true;
				seen = false;
			}
			continue;
		}
		if (n == 0 || (n == 1 && line[0] == '\r')) {
			in_hdr = false;
			continue;
		}
		if (n > ctlen &&
		    strncasecmp((const char *)line, ct, ctlen) == 0) {
			size_t k = ctlen;

			while (k < n && (line[k] == ' ' || line[k] == '\t'))
				k++;
			if (k < n && line[k] == ':') {
				if (seen)
					memcpy(line, "X-Dupl-CType", ctlen);
				seen = true;
			}
		}
	}
}

static int
msg_mime_load(struct msg *msg)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *m;
	size_t len;
	const char *data;

	if (msg->mime_state != 0)
		return msg->mime_state;
	msg->body_free = msg_body_free;
	msg_gmime_init();
	data = msg_data(msg, &len);
	/* a memory stream over our buffer would copy it; a byte array
	   that borrows the bytes does not, and the parser keeps only
	   offsets into it (persistent stream) */
	{
		GByteArray *ba = g_byte_array_new();

		/* GByteArray cannot borrow; copy once, bounded by the
		   message size, and only for messages that need MIME */
		if (msg->hdr_junk) {
			/* GMime ends the header at a line that is no field
			   (a blank first line, "HELO x"); give it the fields
			   as msg_scan_headers read them, as Pigeonhole reads
			   them, and the body */
			const char *nl = msg->crlf ? "\r\n" : "\n";

			for (size_t i = 0; i < msg->nhdrs; i++) {
				const struct msg_header *h = &msg->hdrs[i];

				g_byte_array_append(ba, (const guint8 *)h->name,
						    (guint)h->name_len);
				g_byte_array_append(ba, (const guint8 *)":", 1);
				g_byte_array_append(ba,
						    (const guint8 *)h->value,
						    (guint)h->value_len);
				g_byte_array_append(ba, (const guint8 *)nl,
						    (guint)strlen(nl));
			}
			g_byte_array_append(ba, (const guint8 *)nl,
					    (guint)strlen(nl));
			g_byte_array_append(
			    ba, (const guint8 *)msg->buf + msg->body_start,
			    (guint)(msg->len - msg->body_start));
		} else {
			g_byte_array_append(ba, (const guint8 *)data,
					    (guint)len);
		}
		stream = g_mime_stream_mem_new_with_byte_array(ba);
	}
	{
		GByteArray *ba =
		    g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));

		mime_first_content_type(ba->data, ba->len);
	}
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (m == NULL) {
		msg->mime_state = -1;
		return -1;
	}
	msg->gmime = m;
	msg->mime_state = 1;
	return 1;
}

int
msg_mime_ok(struct msg *msg)
{
	return msg_mime_load(msg) > 0 ? 1 : 0;
}

static void
parts_push(struct msg *msg, struct msg_part *p)
{
	msg->parts.v = xreallocarray(msg->parts.v, msg->parts.n + 1,
				     sizeof(*msg->parts.v));
	msg->parts.v[msg->parts.n++] = *p;
}

/* A NUL-terminated copy of a byte array (which may have no data). */
static char *
bytes_dup(const GByteArray *ba, size_t *len_r)
{
	size_t n = ba != NULL ? ba->len : 0;
	char *s = xmalloc(n + 1);

	if (n > 0)
		memcpy(s, ba->data, n);
	s[n] = '\0';
	*len_r = n;
	return s;
}

/* Decoded content of a leaf part: transfer-decoded, and for text/\*
   converted from its charset to UTF-8. */
static void
part_content(GMimePart *part, bool is_text, const char *charset,
	     struct msg_part *p)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *mem, *filtered;
	GByteArray *ba;

	if (dw == NULL) {
		p->text = xstrdup("");
		p->raw = xstrdup("");
		return;
	}
	/* raw (still transfer-encoded) content */
	mem = g_mime_stream_mem_new();
	{
		GMimeStream *src = g_mime_data_wrapper_get_stream(dw);

		if (src != NULL) {
			g_mime_stream_reset(src);
			g_mime_stream_write_to_stream(src, mem);
			g_mime_stream_reset(src);
		}
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	p->raw = bytes_dup(ba, &p->raw_len);
	g_object_unref(mem);

	mem = g_mime_stream_mem_new();
	filtered = g_mime_stream_filter_new(mem);
	if (is_text && charset != NULL &&
	    g_ascii_strcasecmp(charset, "utf-8") &&
	    g_ascii_strcasecmp(charset, "us-ascii")) {
		GMimeFilter *f = g_mime_filter_charset_new(charset, "UTF-8");

		if (f != NULL) {
			g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered),
						 f);
			g_object_unref(f);
		}
	}
	g_mime_data_wrapper_write_to_stream(dw, filtered);
	g_mime_stream_flush(filtered);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	p->text = bytes_dup(ba, &p->text_len);
	g_object_unref(filtered);
	g_object_unref(mem);
	if (is_text && !g_utf8_validate(p->text, (gssize)p->text_len, NULL)) {
		gsize n;
		char *conv = g_convert_with_fallback(
		    p->text, (gssize)p->text_len, "UTF-8", "WINDOWS-1252", "?",
		    NULL, &n, NULL);

		if (conv != NULL) {
			free(p->text);
			p->text = xmemdup(conv, n + 1);
			p->text_len = n;
			g_free(conv);
		}
	}
}

/* Skips blanks and (nested) comments. */
static const char *
skip_cfws(const char *p)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (depth > 0 && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (depth > 0 && *p == ')')
			depth--;
		else if (depth == 0 && *p != ' ' && *p != '\t' && *p != '\r' &&
			 *p != '\n')
			break;
	}
	return p;
}

/* Is a Content-Transfer-Encoding value none of RFC 2045's encodings?
   One token, then the end or a ";" (parameters tolerated). */
static bool
cte_unknown(const char *v)
{
	static const char *const known[] = {"7bit", "8bit", "binary", "base64",
					    "quoted-printable"};
	const char *t = skip_cfws(v), *e = t;

	while (*e != '\0' && (unsigned char)*e > ' ' && *e != 0x7f &&
	       strchr("()<>@,;:\\\"/[]?=", *e) == NULL)
		e++;
	if (*skip_cfws(e) != '\0' && *skip_cfws(e) != ';')
		return true;
	for (size_t i = 0; i < N_ELEMENTS(known); i++)
		if ((size_t)(e - t) == strlen(known[i]) &&
		    g_ascii_strncasecmp(t, known[i], (gsize)(e - t)) == 0)
			return false;
	return true;
}

/* What Sieve's body :content sees of an embedded message, as
   Pigeonhole: of message/rfc822 its header, each line ended by CRLF; of
   message/global all of it as it came, without the line end before the
   boundary. */
static char *
message_text(GMimeMessage *inner, bool whole)
{
	struct str s = STR_INIT;
	char *h;

	if (whole) {
		h = g_mime_object_to_string(GMIME_OBJECT(inner), NULL);
		str_append(&s, h != NULL ? h : "");
		if (s.len > 0 && s.s[s.len - 1] == '\n')
			str_truncate(&s, s.len - 1);
	} else {
		h = g_mime_object_get_headers(GMIME_OBJECT(inner), NULL);
		for (const char *c = h != NULL ? h : ""; *c != '\0'; c++) {
			if (*c == '\n' && (c == h || c[-1] != '\r'))
				str_appendc(&s, '\r');
			str_appendc(&s, *c);
		}
	}
	g_free(h);
	str_append(&s, "");
	return str_steal(&s);
}

static void
walk(struct msg *msg, GMimeObject *obj, int depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	struct msg_part p;
	const char *cs, *disp;

	memset(&p, 0, sizeof(p));
	p.depth = depth;
	p.content_type = ct != NULL
			     ? str_lower(g_mime_content_type_get_mime_type(ct))
			     : xstrdup("text/plain");
	/* g_mime_content_type_get_mime_type returns g_malloc'd memory;
	   glib uses malloc, so free() is right */
	cs = ct != NULL ? g_mime_content_type_get_parameter(ct, "charset")
			: NULL;
	p.charset = cs != NULL ? xstrdup(cs) : NULL;
	disp = g_mime_object_get_disposition(obj);
	p.disposition = disp != NULL ? str_lower(xstrdup(disp)) : NULL;

	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		const char *pro = g_mime_multipart_get_prologue(mp);
		const char *epi = g_mime_multipart_get_epilogue(mp);

		p.prologue = pro != NULL ? xstrdup(pro) : NULL;
		p.epilogue = epi != NULL ? xstrdup(epi) : NULL;
		p.is_multipart = true;
		p.text = xstrdup("");
		p.raw = xstrdup("");
		parts_push(msg, &p);
		for (int i = 0; i < n; i++)
			walk(msg, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner =
		    g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		p.is_multipart = true;
		p.text = xstrdup("");
		p.raw = xstrdup("");
		if (inner != NULL)
			p.message_text =
			    message_text(inner, strcmp(p.content_type,
						       "message/global") == 0);
		parts_push(msg, &p);
		if (inner != NULL && g_mime_message_get_mime_part(inner))
			walk(msg, g_mime_message_get_mime_part(inner),
			     depth + 1);
	} else if (GMIME_IS_PART(obj)) {
		const char *fn = g_mime_part_get_filename(GMIME_PART(obj));
		const char *cte =
		    g_mime_object_get_header(obj, "Content-Transfer-Encoding");

		p.filename = fn != NULL ? xstrdup(fn) : NULL;
		p.cte_unknown = cte != NULL && cte_unknown(cte);
		part_content(GMIME_PART(obj),
			     strncmp(p.content_type, "text/", 5) == 0,
			     p.charset, &p);
		parts_push(msg, &p);
	} else {
		p.text = xstrdup("");
		p.raw = xstrdup("");
		parts_push(msg, &p);
	}
}

const struct msg_parts *
msg_parts(struct msg *msg)
{
	GMimeObject *top;

	if (msg->parts_done)
		return &msg->parts;
	msg->parts_done = true;
	msg->body_free = msg_body_free;
	if (msg_mime_load(msg) > 0 &&
	    (top = g_mime_message_get_mime_part(msg->gmime)) != NULL) {
		walk(msg, top, 0);
	}
	if (msg->parts.n == 0) {
		struct msg_part p;
		size_t len;
		const char *b = msg_body(msg, &len);

		memset(&p, 0, sizeof(p));
		p.content_type = xstrdup("text/plain");
		p.text = xmemdup(b, len + 1);
		p.text[len] = '\0';
		p.text_len = len;
		p.raw = xmemdup(b, len + 1);
		p.raw[len] = '\0';
		p.raw_len = len;
		parts_push(msg, &p);
	}
	return &msg->parts;
}

const char *
msg_text(struct msg *msg)
{
	const struct msg_parts *parts;
	struct str out = STR_INIT;
	bool have_plain = false;

	if (msg->text != NULL)
		return msg->text;
	parts = msg_parts(msg);
	for (size_t i = 0; i < parts->n; i++) {
		const struct msg_part *p = &parts->v[i];

		if (strcmp(p->content_type, "text/plain") == 0 &&
		    (p->disposition == NULL ||
		     strcmp(p->disposition, "attachment") != 0)) {
			if (have_plain)
				str_appendc(&out, '\n');
			str_append_n(&out, p->text, p->text_len);
			have_plain = true;
		}
	}
	if (!have_plain) {
		for (size_t i = 0; i < parts->n; i++) {
			const struct msg_part *p = &parts->v[i];
			char *t;

			if (strcmp(p->content_type, "text/html") != 0)
				continue;
			t = msg_html_to_text(p->text, p->text_len);
			str_append(&out, t);
			free(t);
			break;
		}
	}
	msg->text = str_steal(&out);
	return msg->text;
}

void
msg_body_free(struct msg *msg)
{
	for (size_t i = 0; i < msg->parts.n; i++) {
		struct msg_part *p = &msg->parts.v[i];

		free(p->content_type);
		free(p->charset);
		free(p->filename);
		free(p->disposition);
		free(p->text);
		free(p->raw);
		free(p->prologue);
		free(p->message_text);
		free(p->epilogue);
	}
	free(msg->parts.v);
	msg->parts.v = NULL;
	msg->parts.n = 0;
	free(msg->text);
	msg->text = NULL;
	if (msg->gmime != NULL)
		g_object_unref(msg->gmime);
	msg->gmime = NULL;
}

/* ---- HTML to text ---- */

struct entity {
	const char *name;
	const char *utf8;
};

static const struct entity entities[] = {
    {"amp", "&"},	  {"lt", "<"},
    {"gt", ">"},	  {"quot", "\""},
    {"apos", "'"},	  {"nbsp", " "},
    {"copy", "\xc2\xa9"}, {"reg", "\xc2\xae"},
    {"hellip", "..."},	  {"mdash", "-"},
    {"ndash", "-"},	  {"rsquo", "'"},
    {"lsquo", "'"},	  {"rdquo", "\""},
    {"ldquo", "\""},	  {"euro", "\xe2\x82\xac"},
};

static void
append_codepoint(struct str *out, unsigned long cp)
{
	char buf[8];
	int n;

	if (cp == 0 || cp > 0x10ffff)
		return;
	n = g_unichar_to_utf8((gunichar)cp, buf);
	str_append_n(out, buf, (size_t)n);
}

/* Block-level tags that end a line. */
static const char *const block_tags[] = {
    "p",     "/p",     "br",  "br/", "div", "/div",	  "tr",		 "/tr",
    "li",    "h1",     "h2",  "h3",  "h4",  "h5",	  "h6",		 "/h1",
    "/h2",   "/h3",    "/h4", "/h5", "/h6", "blockquote", "/blockquote", "hr",
    "table", "/table", "/li", "ul",  "/ul", "ol",	  "/ol",
};

char *
msg_html_to_text(const char *html, size_t len)
{
	struct str out = STR_INIT;
	bool skip = false, space = false;
	char skip_tag[16] = "";

	for (size_t i = 0; i < len;) {
		char c = html[i];

		if (c == '<') {
			const char *end = memchr(html + i, '>', len - i);
			char tag[16];
			size_t tl = 0, j = i + 1;

			if (end == NULL)
				break;
			if (len - i > 4 && strncmp(html + i, "<!--", 4) == 0) {
				const char *ce =
				    memmem(html + i + 4, len - i - 4, "-->", 3);
				i = ce == NULL ? len : (size_t)(ce - html) + 3;
				continue;
			}
			while (j < (size_t)(end - html) &&
			       tl < sizeof(tag) - 1 &&
			       (isalnum((unsigned char)html[j]) ||
				html[j] == '/')) {
				tag[tl++] =
				    (char)tolower((unsigned char)html[j]);
				j++;
			}
			tag[tl] = '\0';
			i = (size_t)(end - html) + 1;
			if (skip) {
				if (tag[0] == '/' &&
				    strcmp(tag + 1, skip_tag) == 0)
					skip = false;
				continue;
			}
			if (strcmp(tag, "script") == 0 ||
			    strcmp(tag, "style") == 0 ||
			    strcmp(tag, "head") == 0 ||
			    strcmp(tag, "title") == 0) {
				skip = true;
				snprintf(skip_tag, sizeof(skip_tag), "%s", tag);
				continue;
			}
			for (size_t k = 0; k < N_ELEMENTS(block_tags); k++)
				if (strcmp(tag, block_tags[k]) == 0) {
					while (out.len > 0 &&
					       out.s[out.len - 1] == ' ')
						str_truncate(&out, out.len - 1);
					if (out.len > 0 &&
					    out.s[out.len - 1] != '\n')
						str_appendc(&out, '\n');
					space = false;
					break;
				}
			if (strcmp(tag, "blockquote") == 0)
				str_append(&out, "> ");
			continue;
		}
		if (skip) {
			i++;
			continue;
		}
		if (c == '&' && space && out.len > 0 &&
		    out.s[out.len - 1] != '\n') {
			str_appendc(&out, ' ');
			space = false;
		}
		if (c == '&') {
			const char *semi =
			    memchr(html + i, ';', len - i < 12 ? len - i : 12);
			if (semi != NULL) {
				size_t nl = (size_t)(semi - html) - i - 1;
				const char *name = html + i + 1;
				bool done = false;

				if (nl > 1 && name[0] == '#') {
					unsigned long cp =
					    (name[1] == 'x' || name[1] == 'X')
						? strtoul(name + 2, NULL, 16)
						: strtoul(name + 1, NULL, 10);
					append_codepoint(&out, cp);
					done = true;
				}
				for (size_t k = 0;
				     !done && k < N_ELEMENTS(entities); k++)
					if (strlen(entities[k].name) == nl &&
					    strncmp(entities[k].name, name,
						    nl) == 0) {
						str_append(&out,
							   entities[k].utf8);
						done = true;
					}
				if (done) {
					i = (size_t)(semi - html) + 1;
					continue;
				}
			}
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = true;
			i++;
			continue;
		}
		if (space && out.len > 0 && out.s[out.len - 1] != '\n')
			str_appendc(&out, ' ');
		space = false;
		str_appendc(&out, c);
		i++;
	}
	while (out.len > 0 &&
	       (out.s[out.len - 1] == '\n' || out.s[out.len - 1] == ' '))
		str_truncate(&out, out.len - 1);
	return str_steal(&out);
}
