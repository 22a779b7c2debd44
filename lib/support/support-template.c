/*
 * support-template.c - the answer templates in rules/templates/: an
 * optional "Subject:" header block, then the body, with {{variables}}.
 *
 *   Subject: [#{{issue}}] {{subject}}
 *
 *   Hello {{customer_name|there}},
 *   ...
 *
 * Values are cleaned of control characters before they are inserted, so
 * no value can start a new header line or break the message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support-ack.h"

#define TMPL_MAX (64 * 1024)

char *
tmpl_clean_value(const char *s)
{
	struct str out = STR_INIT;
	bool space = false;

	str_append(&out, "");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	     p++) {
		if (*p < 0x20 || *p == 0x7f || *p == ' ') {
			space = out.len > 0;
			continue;
		}
		if (space)
			str_appendc(&out, ' ');
		space = false;
		str_appendc(&out, (char)*p);
	}
	return str_steal(&out);
}

/* A value of several lines: LF kept, CR dropped, other control
   characters become spaces, trailing line breaks and spaces go. */
static char *
clean_lines(const char *s)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	     p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' || *p == '\t')
			str_appendc(&out, (char)*p);
		else if (*p < 0x20 || *p == 0x7f)
			str_appendc(&out, ' ');
		else
			str_appendc(&out, (char)*p);
	}
	while (out.len > 0 &&
	       (out.s[out.len - 1] == '\n' || out.s[out.len - 1] == ' '))
		str_truncate(&out, out.len - 1);
	return str_steal(&out);
}

static const struct tmpl_var *
find_var(const struct tmpl_var *vars, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i].name) == len &&
		    strncmp(vars[i].name, name, len) == 0)
			return &vars[i];
	return NULL;
}

/* Expands the variables of text[0..len) into out. */
static int
expand(const char *text, size_t len, const struct tmpl_var *vars, size_t nvars,
       bool strict, struct str *out, int line0, char **error_r)
{
	size_t i = 0;
	int line = line0;

	while (i < len) {
		const char *open = NULL;
		size_t name_start, name_len, fb_start = 0, fb_len = 0;
		const struct tmpl_var *v;
		bool has_fb = false;
		size_t j;

		if (i + 1 < len && text[i] == '{' && text[i + 1] == '{')
			open = text + i;
		if (open == NULL) {
			if (text[i] == '\n')
				line++;
			str_appendc(out, text[i++]);
			continue;
		}
		if (i + 3 < len && text[i + 2] == '{' && text[i + 3] == '{') {
			str_append(out, "{{");
			i += 4;
			continue;
		}
		j = i + 2;
		while (j < len && text[j] == ' ')
			j++;
		name_start = j;
		while (j < len &&
		       (isalnum((unsigned char)text[j]) || text[j] == '_'))
			j++;
		name_len = j - name_start;
		while (j < len && text[j] == ' ')
			j++;
		if (j < len && text[j] == '|') {
			has_fb = true;
			fb_start = ++j;
			while (j + 1 < len &&
			       !(text[j] == '}' && text[j + 1] == '}') &&
			       text[j] != '\n')
				j++;
			fb_len = j - fb_start;
		}
		if (name_len == 0 || j + 1 >= len || text[j] != '}' ||
		    text[j + 1] != '}') {
			*error_r = xasprintf("line %d: unterminated or "
					     "malformed {{variable}}",
					     line);
			return -1;
		}
		v = find_var(vars, nvars, text + name_start, name_len);
		if (v == NULL && strict) {
			*error_r =
			    xasprintf("line %d: unknown variable "
				      "'%.*s'",
				      line, (int)name_len, text + name_start);
			return -1;
		}
		if (v != NULL && v->value != NULL && v->value[0] != '\0') {
			/* the subject is made one line when it is done */
			char *clean = v->lines ? clean_lines(v->value)
					       : tmpl_clean_value(v->value);

			str_append(out, clean);
			free(clean);
		} else if (has_fb)
			str_append_n(out, text + fb_start, fb_len);
		i = j + 2;
	}
	return 0;
}

/* Length of a header name at p ("Subject" in "Subject: x"), 0 if the
   line is not a header. */
static size_t
header_name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (isalnum((unsigned char)*q) || *q == '-'))
		q++;
	return q > p && q < end && *q == ':' ? (size_t)(q - p) : 0;
}

/* True when every line up to the first empty one is a header. */
static bool
has_header_block(const char *p, const char *end)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end;

		if (le == p || (le == p + 1 && *p == '\r'))
			return true;
		if (header_name_len(p, le) == 0 || nl == NULL)
			return false;
		p = nl + 1;
	}
	return false;
}

int
tmpl_render(const char *text, size_t len, const struct tmpl_var *vars,
	    size_t nvars, bool strict, char **subject_r, char **body_r,
	    char **error_r)
{
	const char *p = text, *end = text + len, *body = text;
	struct str subject = STR_INIT, out = STR_INIT;
	bool have_subject = false;
	int line = 1;

	*subject_r = NULL;
	*body_r = NULL;
	*error_r = NULL;
	if (len > TMPL_MAX) {
		*error_r = xstrdup("template too large");
		return -1;
	}
	/* a header block only when the very first line is a header and
	   an empty line ends the block */
	if (header_name_len(p, end) > 0 && has_header_block(p, end)) {
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl != NULL ? nl : end;
			size_t hn;

			if (le == p || (le == p + 1 && *p == '\r')) {
				p = nl != NULL ? nl + 1 : end;
				line++;
				break;
			}
			hn = header_name_len(p, le);
			if (hn == 0) {
				*error_r = xasprintf("line %d: header block "
						     "line without a name",
						     line);
				goto fail;
			}
			if (hn == 7 && strncasecmp(p, "Subject", 7) == 0) {
				const char *v = p + hn + 1;
				size_t vl;

				while (v < le && (*v == ' ' || *v == '\t'))
					v++;
				vl = (size_t)(le - v);
				if (vl > 0 && v[vl - 1] == '\r')
					vl--;
				str_truncate(&subject, 0);
				if (expand(v, vl, vars, nvars, strict, &subject,
					   line, error_r) < 0)
					goto fail;
				have_subject = true;
			} else if (strict) {
				*error_r = xasprintf("line %d: only Subject "
						     "may be set by a template",
						     line);
				goto fail;
			}
			p = nl != NULL ? nl + 1 : end;
			line++;
		}
		body = p;
	}
	str_append(&out, "");
	if (expand(body, (size_t)(end - body), vars, nvars, strict, &out, line,
		   error_r) < 0)
		goto fail;
	if (have_subject) {
		/* the subject is one line whatever the values were */
		char *clean = tmpl_clean_value(str_c(&subject));

		*subject_r = clean;
	}
	str_free(&subject);
	*body_r = str_steal(&out);
	return 0;
fail:
	str_free(&subject);
	str_free(&out);
	return -1;
}

static bool
safe_name(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

int
tmpl_load(const char *dir, const char *name, const char *lang, char **text_r,
	  char **path_r, char **error_r)
{
	const char *langs[3] = {lang, "en", NULL};

	*text_r = NULL;
	*path_r = NULL;
	if (!safe_name(name) || (lang != NULL && !safe_name(lang))) {
		*error_r = xasprintf("bad template name '%s'",
				     name != NULL ? name : "");
		return -1;
	}
	for (size_t i = 0; i < 3; i++) {
		char *path;
		size_t len;

		if (i < 2 && langs[i] == NULL)
			continue;
		path = i < 2 ? xasprintf("%s/%s.%s.txt", dir, name, langs[i])
			     : xasprintf("%s/%s.txt", dir, name);
		if (path_read_file(path, TMPL_MAX, text_r, &len) == 0) {
			*path_r = path;
			return 0;
		}
		if (errno != ENOENT) {
			*error_r = xasprintf("%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	*error_r = xasprintf("no template %s.%s.txt in %s", name,
			     lang != NULL ? lang : "en", dir);
	return -1;
}
