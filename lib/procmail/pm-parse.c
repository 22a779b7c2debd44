/*
 * pm-parse.c - the procmailrc parser: assignments, recipes (:0 flags and
 * a local lockfile), conditions with continuation lines, the action
 * line, nested { } blocks and comments, into a tree of struct pm_node.
 *
 * procmail reads its rc file as it runs; we parse it whole first so
 * `ackmail check` can report every error as file:line:col, and run the
 * tree. Like procmail, a line we cannot make sense of is skipped.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "procmail.h"

struct parser {
	const char *path;
	const char *s, *end;
	const char *p;
	int line;
	const char *line_start;
	struct diag *diag;
	int depth;
};

static int
col(const struct parser *ps)
{
	return (int)(ps->p - ps->line_start) + 1;
}

static void
newline(struct parser *ps)
{
	/* ps->p points just after a '\n' */
	ps->line++;
	ps->line_start = ps->p;
}

static void
skip_blank(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* Skips whitespace, newlines and comments. */
static void
skip_space(struct parser *ps)
{
	for (;;) {
		skip_blank(ps);
		if (ps->p >= ps->end)
			return;
		if (*ps->p == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		}
		if (ps->p < ps->end && *ps->p == '\n') {
			ps->p++;
			newline(ps);
			continue;
		}
		/* a lone backslash-newline between statements */
		if (ps->p + 1 < ps->end && ps->p[0] == '\\' &&
		    ps->p[1] == '\n') {
			ps->p += 2;
			newline(ps);
			continue;
		}
		return;
	}
}

/* Reads the rest of the line with backslash-newline continuations.
   strip_lead: drop leading whitespace of continued lines. keep_bs: keep
   "\\\n" in the text (program lines). */
static char *
read_logical_line(struct parser *ps, bool strip_lead, bool keep_bs)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (;;) {
		const char *q = ps->p;

		while (q < ps->end && *q != '\n')
			q++;
		const char *e = q;
		bool cont = e > ps->p && e[-1] == '\\' && q < ps->end;

		if (cont) {
			str_append_n(&out, ps->p, (size_t)(e - 1 - ps->p));
			if (keep_bs)
				str_append(&out, "\\\n");
		} else
			str_append_n(&out, ps->p, (size_t)(e - ps->p));
		ps->p = q;
		if (ps->p < ps->end) {
			ps->p++;
			newline(ps);
		}
		if (!cont)
			break;
		if (strip_lead)
			skip_blank(ps);
	}
	return str_steal(&out);
}

static void parse_list(struct parser *ps, struct pm_node **head, bool inblock);

static bool
is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool
is_name(int c)
{
	return isalnum(c) || c == '_';
}

/* An assignment's value: one sh word (quotes may span lines), up to
   unquoted whitespace. */
static char *
read_value(struct parser *ps)
{
	const char *start = ps->p;
	char quote = 0;

	while (ps->p < ps->end) {
		char c = *ps->p;

		if (quote) {
			if (c == quote)
				quote = 0;
			else if (c == '\\' && quote != '\'' &&
				 ps->p + 1 < ps->end) {
				if (ps->p[1] == '\n') {
					ps->p += 2;
					newline(ps);
					continue;
				}
				ps->p++;
			}
			if (*ps->p == '\n') {
				ps->p++;
				newline(ps);
				continue;
			}
			ps->p++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n')
			break;
		if (c == '"' || c == '\'' || c == '`')
			quote = c;
		else if (c == '\\' && ps->p + 1 < ps->end) {
			ps->p++;
			if (*ps->p == '\n') {
				ps->p++;
				newline(ps);
				continue;
			}
		}
		ps->p++;
	}
	if (quote)
		diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line, col(ps),
			 "unterminated %c quote", quote);
	return xstrndup(start, (size_t)(ps->p - start));
}

static void
parse_flags(struct parser *ps, struct pm_recipe *r)
{
	/* legacy ":N" count of conditions is accepted and ignored */
	while (ps->p < ps->end && isdigit((unsigned char)*ps->p))
		ps->p++;
	for (; ps->p < ps->end && *ps->p != '\n'; ps->p++) {
		char c = *ps->p;
		struct pm_flags *f = &r->flags;

		switch (c) {
		case ' ':
		case '\t':
			continue;
		case 'H':
			f->H = f->H_set = true;
			continue;
		case 'B':
			f->B = f->B_set = true;
			continue;
		case 'D':
			f->D = true;
			continue;
		case 'A':
			f->A = true;
			continue;
		case 'a':
			f->a = true;
			continue;
		case 'E':
			f->E = true;
			continue;
		case 'e':
			f->e = true;
			continue;
		case 'h':
			f->h = f->h_set = true;
			continue;
		case 'b':
			f->b = f->b_set = true;
			continue;
		case 'f':
			f->f = true;
			continue;
		case 'c':
			f->c = true;
			continue;
		case 'w':
			f->w = true;
			continue;
		case 'W':
			f->W = true;
			continue;
		case 'i':
			f->i = true;
			continue;
		case 'r':
			f->r = true;
			continue;
		case ':': {
			ps->p++;
			r->lock = true;
			skip_blank(ps);
			const char *st = ps->p;
			while (ps->p < ps->end && *ps->p != '\n' &&
			       *ps->p != ' ' && *ps->p != '\t' && *ps->p != '#')
				ps->p++;
			if (ps->p > st)
				r->lockfile =
				    xstrndup(st, (size_t)(ps->p - st));
			skip_blank(ps);
			if (ps->p < ps->end && *ps->p == '#')
				while (ps->p < ps->end && *ps->p != '\n')
					ps->p++;
			return;
		}
		case '#':
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
			return;
		default:
			diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line,
				 col(ps), "unknown recipe flag '%c'", c);
			continue;
		}
	}
}

static void
parse_recipe(struct parser *ps, struct pm_node *n)
{
	struct pm_recipe *r = &n->recipe;
	size_t cap = 0;

	ps->p++; /* ':' */
	parse_flags(ps, r);
	if (ps->p < ps->end) {
		ps->p++;
		newline(ps);
	}
	/* conditions */
	for (;;) {
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != '*')
			break;
		if (r->nconds == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			r->conds =
			    xreallocarray(r->conds, cap, sizeof(*r->conds));
		}
		struct pm_cond *c = &r->conds[r->nconds++];
		c->line = ps->line;
		ps->p++;
		skip_blank(ps);
		c->col = col(ps);
		c->raw = read_logical_line(ps, true, false);
		{
			size_t cl = strlen(c->raw);

			while (cl > 0 && (c->raw[cl - 1] == ' ' ||
					  c->raw[cl - 1] == '\t'))
				c->raw[--cl] = '\0';
		}
	}
	if (ps->p >= ps->end) {
		diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line, col(ps),
			 "recipe without an action");
		r->action = PM_ACT_FOLDER;
		r->action_text = xstrdup("");
		return;
	}
	r->action_line = ps->line;
	if (*ps->p == '{') {
		ps->p++;
		r->action = PM_ACT_BLOCK;
		if (++ps->depth > 100) {
			diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line,
				 col(ps), "blocks nested too deeply");
			ps->p = ps->end;
			return;
		}
		parse_list(ps, &r->block, true);
		ps->depth--;
		return;
	}
	if (*ps->p == '|') {
		/* the text after '|' is kept as written: procmail logs it */
		ps->p++;
		r->action = PM_ACT_PIPE;
		r->action_text = read_logical_line(ps, false, true);
		return;
	}
	if (*ps->p == '!') {
		ps->p++;
		skip_blank(ps);
		r->action = PM_ACT_FORWARD;
		r->action_text = read_logical_line(ps, false, false);
		return;
	}
	/* VAR=| capture? */
	if (is_name_start((unsigned char)*ps->p)) {
		const char *q = ps->p;

		while (q < ps->end && is_name((unsigned char)*q))
			q++;
		const char *ne = q;
		while (q < ps->end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < ps->end && *q == '=') {
			q++;
			while (q < ps->end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < ps->end && *q == '|') {
				r->capture =
				    xstrndup(ps->p, (size_t)(ne - ps->p));
				ps->p = q + 1;
				r->action = PM_ACT_PIPE;
				r->action_text =
				    read_logical_line(ps, false, true);
				return;
			}
		}
	}
	r->action = PM_ACT_FOLDER;
	r->action_text = read_logical_line(ps, false, false);
}

static void
parse_list(struct parser *ps, struct pm_node **head, bool inblock)
{
	struct pm_node **tail = head;

	for (;;) {
		struct pm_node *n;

		skip_space(ps);
		if (ps->p >= ps->end) {
			if (inblock)
				diag_add(ps->diag, DIAG_ERROR, ps->path,
					 ps->line, col(ps),
					 "missing closing brace");
			return;
		}
		if (*ps->p == '}') {
			ps->p++;
			if (inblock)
				return;
			diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line,
				 col(ps) - 1, "closing brace unexpected");
			continue;
		}
		n = xcalloc(1, sizeof(*n));
		n->line = ps->line;
		n->col = col(ps);
		if (*ps->p == ':') {
			n->kind = PM_NODE_RECIPE;
			parse_recipe(ps, n);
		} else if (is_name_start((unsigned char)*ps->p)) {
			const char *st = ps->p;

			while (ps->p < ps->end &&
			       is_name((unsigned char)*ps->p))
				ps->p++;
			n->kind = PM_NODE_ASSIGN;
			n->name = xstrndup(st, (size_t)(ps->p - st));
			skip_blank(ps);
			if (ps->p < ps->end && *ps->p == '=') {
				ps->p++;
				skip_blank(ps);
				n->value = read_value(ps);
			}
		} else {
			const char *nl =
			    memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
			int skip = (int)((nl ? nl : ps->end) - ps->p);

			diag_add(ps->diag, DIAG_ERROR, ps->path, ps->line,
				 col(ps), "syntax error, skipped: %.*s", skip,
				 ps->p);
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
			free(n);
			continue;
		}
		*tail = n;
		tail = &n->next;
	}
}

int
pm_parse(const char *path, const char *text, size_t len, struct pm_rc **rc_r,
	 struct diag *diag)
{
	struct parser ps = {0};
	struct pm_rc *rc = xcalloc(1, sizeof(*rc));
	int errors = diag->errors;

	ps.path = path;
	ps.s = ps.p = ps.line_start = text;
	ps.end = text + len;
	ps.line = 1;
	ps.diag = diag;
	rc->path = xstrdup(path);
	parse_list(&ps, &rc->nodes, false);
	*rc_r = rc;
	return diag->errors > errors ? -1 : 0;
}

static void
nodes_free(struct pm_node *n)
{
	while (n != NULL) {
		struct pm_node *next = n->next;
		struct pm_recipe *r = &n->recipe;

		free(n->name);
		free(n->value);
		free(r->lockfile);
		for (size_t i = 0; i < r->nconds; i++)
			free(r->conds[i].raw);
		free(r->conds);
		free(r->action_text);
		free(r->capture);
		nodes_free(r->block);
		free(n);
		n = next;
	}
}

void
pm_rc_free(struct pm_rc **rcp)
{
	struct pm_rc *rc = *rcp;

	if (rc == NULL)
		return;
	nodes_free(rc->nodes);
	free(rc->path);
	free(rc);
	*rcp = NULL;
}

int
pm_detect(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int score = 0;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (e == NULL)
			e = end;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (e - q >= 2 && q[0] == ':' && isdigit((unsigned char)q[1]))
			return 1;
		if (e - q >= 7 && strncmp(q, "require", 7) == 0)
			return 0; /* Sieve */
		if (q < e && is_name_start((unsigned char)*q)) {
			const char *n = q;

			while (n < e && is_name((unsigned char)*n))
				n++;
			if (n < e && *n == '=')
				score++;
		}
		p = e + 1;
	}
	return score > 0 ? 1 : 0;
}
