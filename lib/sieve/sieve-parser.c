/*
 * sieve-parser.c - recursive-descent parser of RFC 5228 section 8.2 into
 * the AST. On a syntax error it reports file:line:col, skips to the end
 * of the command (';' or its block) and goes on, so one run shows every
 * error.
 */
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

#define MAX_NESTING 64

struct parser {
	struct sieve_lexer lx;
	struct sieve_token tok;
	const char *file;
	struct diag *diag;
	int depth;
	int errors;
};

static void
next(struct parser *p)
{
	sieve_lexer_next(&p->lx, &p->tok);
}

static void perror_at(struct parser *p, int line, int col, const char *fmt, ...)
    ATTR_PRINTF(4, 5);

static void
perror_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(p->diag, DIAG_ERROR, p->file, line, col, "%s", msg);
	free(msg);
	p->errors++;
}

static void
unexpected(struct parser *p, const char *what)
{
	if (p->tok.type == TOK_ERROR)
		perror_at(p, p->tok.line, p->tok.col, "%s", p->tok.error);
	else
		perror_at(p, p->tok.line, p->tok.col,
			  "syntax error: unexpected %s, expected %s",
			  sieve_tok_name(p->tok.type), what);
}

/* Recovery: skip to the end of the current command: past a ';' at this
   level, past a balanced block, or up to a '}' that closes the
   enclosing block. */
static void
recover(struct parser *p)
{
	int level = 0;

	for (;;) {
		switch (p->tok.type) {
		case TOK_EOF:
			return;
		case TOK_SEMICOLON:
			if (level == 0) {
				next(p);
				return;
			}
			break;
		case TOK_LBRACE:
			level++;
			break;
		case TOK_RBRACE:
			if (level == 0)
				return;
			if (--level == 0) {
				next(p);
				return;
			}
			break;
		default:
			break;
		}
		next(p);
	}
}

static void
arg_free(struct sieve_arg *a)
{
	for (size_t i = 0; i < a->nstrs; i++)
		free(a->strs[i].s);
	free(a->strs);
	free(a->tag);
}

void
sieve_node_free(struct sieve_node **np)
{
	struct sieve_node *n = *np;

	if (n == NULL)
		return;
	free(n->name);
	for (size_t i = 0; i < n->nargs; i++)
		arg_free(&n->args[i]);
	free(n->args);
	for (size_t i = 0; i < n->ntests; i++)
		sieve_node_free(&n->tests[i]);
	free(n->tests);
	for (size_t i = 0; i < n->nblock; i++)
		sieve_node_free(&n->block[i]);
	free(n->block);
	free(n->cmd.pos);
	for (size_t i = 0; i < n->cmd.nregex; i++)
		match_regex_free(&n->cmd.regex[i]);
	free(n->cmd.regex);
	if (n->cmd.data_free != NULL && n->cmd.data != NULL)
		n->cmd.data_free(n->cmd.data);
	free(n);
	*np = NULL;
}

static void
push_node(struct sieve_node ***v, size_t *n, struct sieve_node *node)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = node;
}

static void
add_string(struct sieve_arg *a, const struct str *s)
{
	a->strs = xreallocarray(a->strs, a->nstrs + 1, sizeof(*a->strs));
	a->strs[a->nstrs].s = xmemdup(str_c(s), s->len + 1);
	a->strs[a->nstrs].len = s->len;
	a->strs[a->nstrs].dynamic = false;
	a->nstrs++;
}

/* string-list = "[" string *("," string) "]" / string */
static int
parse_strlist(struct parser *p, struct sieve_arg *a)
{
	a->type = ARG_STRLIST;
	next(p);
	for (;;) {
		if (p->tok.type != TOK_STRING) {
			unexpected(p, "string");
			return -1;
		}
		add_string(a, &p->tok.text);
		next(p);
		if (p->tok.type == TOK_RBRACKET) {
			next(p);
			return 0;
		}
		if (p->tok.type != TOK_COMMA) {
			unexpected(p, "',' or ']'");
			return -1;
		}
		next(p);
	}
}

static struct sieve_node *parse_test(struct parser *p);

/* arguments = *argument [ test / test-list ] */
static int
parse_arguments(struct parser *p, struct sieve_node *n, bool in_test)
{
	for (;;) {
		struct sieve_arg a;

		memset(&a, 0, sizeof(a));
		a.line = p->tok.line;
		a.col = p->tok.col;
		switch (p->tok.type) {
		case TOK_NUMBER:
			a.type = ARG_NUMBER;
			a.number = p->tok.number;
			next(p);
			break;
		case TOK_STRING:
			a.type = ARG_STRING;
			add_string(&a, &p->tok.text);
			next(p);
			break;
		case TOK_TAG:
			a.type = ARG_TAG;
			a.tag = xstrdup(str_c(&p->tok.text));
			next(p);
			break;
		case TOK_LBRACKET:
			if (parse_strlist(p, &a) < 0) {
				arg_free(&a);
				return -1;
			}
			break;
		default:
			goto tests;
		}
		n->args =
		    xreallocarray(n->args, n->nargs + 1, sizeof(*n->args));
		n->args[n->nargs++] = a;
	}
tests:
	if (p->tok.type == TOK_IDENT) {
		struct sieve_node *t = parse_test(p);

		if (t == NULL)
			return -1;
		push_node(&n->tests, &n->ntests, t);
	} else if (p->tok.type == TOK_LPAREN) {
		n->test_list = true;
		next(p);
		for (;;) {
			struct sieve_node *t;

			if (p->tok.type != TOK_IDENT) {
				unexpected(p, "test");
				return -1;
			}
			t = parse_test(p);
			if (t == NULL)
				return -1;
			push_node(&n->tests, &n->ntests, t);
			if (p->tok.type == TOK_RPAREN) {
				next(p);
				break;
			}
			if (p->tok.type != TOK_COMMA) {
				unexpected(p, "',' or ')'");
				return -1;
			}
			next(p);
		}
	}
	(void)in_test;
	return 0;
}

static struct sieve_node *
new_node(struct parser *p, bool is_test)
{
	struct sieve_node *n = xcalloc(1, sizeof(*n));

	n->name = xstrdup(str_c(&p->tok.text));
	n->line = p->tok.line;
	n->col = p->tok.col;
	n->is_test = is_test;
	return n;
}

static struct sieve_node *
parse_test(struct parser *p)
{
	struct sieve_node *n;

	if (++p->depth > MAX_NESTING) {
		perror_at(p, p->tok.line, p->tok.col,
			  "tests are nested too deeply");
		p->depth--;
		return NULL;
	}
	n = new_node(p, true);
	next(p);
	if (parse_arguments(p, n, true) < 0) {
		sieve_node_free(&n);
		p->depth--;
		return NULL;
	}
	p->depth--;
	return n;
}

static void parse_commands(struct parser *p, struct sieve_node ***v, size_t *nv,
			   bool in_block);

/* command = identifier arguments (";" / block) */
static struct sieve_node *
parse_command(struct parser *p)
{
	struct sieve_node *n = new_node(p, false);

	next(p);
	if (parse_arguments(p, n, false) < 0)
		goto fail;
	if (p->tok.type == TOK_SEMICOLON) {
		next(p);
		return n;
	}
	if (p->tok.type == TOK_LBRACE) {
		int line = p->tok.line, col = p->tok.col;

		if (++p->depth > MAX_NESTING) {
			perror_at(p, line, col, "blocks are nested too deeply");
			p->depth--;
			goto fail;
		}
		next(p);
		n->has_block = true;
		parse_commands(p, &n->block, &n->nblock, true);
		p->depth--;
		if (p->tok.type != TOK_RBRACE) {
			perror_at(p, line, col,
				  "syntax error: block is not closed "
				  "(missing '}')");
			return n;
		}
		next(p);
		return n;
	}
	unexpected(p, "';' or '{'");
fail:
	recover(p);
	sieve_node_free(&n);
	return NULL;
}

static void
parse_commands(struct parser *p, struct sieve_node ***v, size_t *nv,
	       bool in_block)
{
	for (;;) {
		struct sieve_node *n;

		if (p->tok.type == TOK_EOF)
			return;
		if (p->tok.type == TOK_RBRACE) {
			if (in_block)
				return;
			unexpected(p, "command");
			next(p);
			continue;
		}
		if (p->tok.type != TOK_IDENT) {
			unexpected(p, "command");
			if (p->tok.type == TOK_ERROR && p->lx.p >= p->lx.end)
				return;
			recover(p);
			continue;
		}
		n = parse_command(p);
		if (n != NULL)
			push_node(v, nv, n);
	}
}

struct sieve_script *
sieve_parse(const char *file, const char *text, size_t len, struct diag *diag)
{
	struct parser p;
	struct sieve_script *s = xcalloc(1, sizeof(*s));
	const char *base;

	memset(&p, 0, sizeof(p));
	p.file = file;
	p.diag = diag;
	s->path = xstrdup(file);
	base = strrchr(file, '/');
	base = base != NULL ? base + 1 : file;
	s->name = xstrdup(base);
	if (str_has_suffix_case(s->name, ".sieve"))
		s->name[strlen(s->name) - 6] = '\0';
	str_init(&p.tok.text);
	sieve_lexer_init(&p.lx, text, len);
	next(&p);
	parse_commands(&p, &s->cmds, &s->ncmds, false);
	str_free(&p.tok.text);
	return s;
}

void
sieve_script_free(struct sieve_script **sp)
{
	struct sieve_script *s = *sp;

	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ncmds; i++)
		sieve_node_free(&s->cmds[i]);
	free(s->cmds);
	free(s->path);
	free(s->name);
	strlist_free(&s->required);
	strlist_free(&s->global_vars);
	ir_program_free(&s->ir);
	free(s);
	*sp = NULL;
}
