/*
 * sieve-lexer.c - tokens of RFC 5228 section 8.1: identifiers, tags,
 * numbers with K/M/G quantifiers, quoted strings, multi-line text: with
 * dot-stuffing, bracketed and hash comments.
 */
#include <string.h>

#include "sieve-private.h"

void
sieve_lexer_init(struct sieve_lexer *lx, const char *text, size_t len)
{
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
	lx->col = 1;
}

static int
peek(const struct sieve_lexer *lx, size_t off)
{
	return lx->p + off < lx->end ? (unsigned char)lx->p[off] : -1;
}

static void
advance(struct sieve_lexer *lx)
{
	if (lx->p >= lx->end)
		return;
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->p++;
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Skips white space and comments. Returns -1 on an unterminated
   bracketed comment. */
static int
skip_space(struct sieve_lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			advance(lx);
		} else if (c == '#') {
			while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
				advance(lx);
		} else if (c == '/' && peek(lx, 1) == '*') {
			advance(lx);
			advance(lx);
			while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
				if (peek(lx, 0) == -1)
					return -1;
				advance(lx);
			}
			advance(lx);
			advance(lx);
		} else {
			return 0;
		}
	}
}

static void
lex_quoted(struct sieve_lexer *lx, struct sieve_token *tok)
{
	advance(lx); /* the opening quote */
	for (;;) {
		int c = peek(lx, 0);

		if (c == -1) {
			tok->type = TOK_ERROR;
			tok->error = "unterminated quoted string";
			return;
		}
		if (c == '"') {
			advance(lx);
			break;
		}
		if (c == '\\') {
			advance(lx);
			c = peek(lx, 0);
			if (c == -1)
				continue;
		}
		/* CRLF in a quoted string is kept as written */
		str_appendc(&tok->text, (char)c);
		advance(lx);
	}
	tok->type = TOK_STRING;
}

/* text: followed by optional white space or a hash comment, CRLF, then
   lines up to a line holding a single dot. */
static void
lex_multiline(struct sieve_lexer *lx, struct sieve_token *tok)
{
	for (int i = 0; i < 5; i++)
		advance(lx);
	while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t')
		advance(lx);
	if (peek(lx, 0) == '#')
		while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
			advance(lx);
	if (peek(lx, 0) == '\r')
		advance(lx);
	if (peek(lx, 0) != '\n') {
		tok->type = TOK_ERROR;
		tok->error = "expected end of line after 'text:'";
		return;
	}
	advance(lx);
	for (;;) {
		const char *ls = lx->p;
		const char *le;
		size_t n;

		if (lx->p >= lx->end) {
			tok->type = TOK_ERROR;
			tok->error = "unterminated multi-line string";
			return;
		}
		le = memchr(ls, '\n', (size_t)(lx->end - ls));
		n = le != NULL ? (size_t)(le - ls) : (size_t)(lx->end - ls);
		if ((n == 1 && ls[0] == '.') ||
		    (n == 2 && ls[0] == '.' && ls[1] == '\r')) {
			for (size_t i = 0; i <= n && lx->p < lx->end; i++)
				advance(lx);
			break;
		}
		if (n > 0 && ls[0] == '.')
			ls++, n--; /* dot-stuffing */
		str_append_n(&tok->text, ls, n);
		if (le != NULL)
			str_appendc(&tok->text, '\n');
		while (lx->p < lx->end && *lx->p != '\n')
			advance(lx);
		advance(lx);
	}
	tok->type = TOK_STRING;
}

void
sieve_lexer_next(struct sieve_lexer *lx, struct sieve_token *tok)
{
	int c;

	str_truncate(&tok->text, 0);
	str_append(&tok->text, "");
	tok->number = 0;
	tok->error = NULL;
	if (skip_space(lx) < 0) {
		tok->line = lx->line;
		tok->col = lx->col;
		tok->type = TOK_ERROR;
		tok->error = "unterminated comment";
		lx->p = lx->end;
		return;
	}
	tok->line = lx->line;
	tok->col = lx->col;
	c = peek(lx, 0);
	switch (c) {
	case -1:
		tok->type = TOK_EOF;
		return;
	case '[':
		tok->type = TOK_LBRACKET;
		break;
	case ']':
		tok->type = TOK_RBRACKET;
		break;
	case '(':
		tok->type = TOK_LPAREN;
		break;
	case ')':
		tok->type = TOK_RPAREN;
		break;
	case '{':
		tok->type = TOK_LBRACE;
		break;
	case '}':
		tok->type = TOK_RBRACE;
		break;
	case ',':
		tok->type = TOK_COMMA;
		break;
	case ';':
		tok->type = TOK_SEMICOLON;
		break;
	case '"':
		lex_quoted(lx, tok);
		return;
	default:
		if (c == ':' && is_alpha(peek(lx, 1))) {
			advance(lx);
			while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0))) {
				str_appendc(&tok->text, (char)peek(lx, 0));
				advance(lx);
			}
			tok->type = TOK_TAG;
			return;
		}
		if (is_digit(c)) {
			uint64_t n = 0;
			bool overflow = false;

			while (is_digit(peek(lx, 0))) {
				uint64_t d = (uint64_t)(peek(lx, 0) - '0');

				if (n > (UINT64_MAX - d) / 10)
					overflow = true;
				n = n * 10 + d;
				advance(lx);
			}
			c = peek(lx, 0);
			if (c == 'K' || c == 'k' || c == 'M' || c == 'm' ||
			    c == 'G' || c == 'g') {
				int shift = (c == 'K' || c == 'k')   ? 10
					    : (c == 'M' || c == 'm') ? 20
								     : 30;

				if (n > (UINT64_MAX >> shift))
					overflow = true;
				n <<= shift;
				advance(lx);
			}
			if (overflow) {
				tok->type = TOK_ERROR;
				tok->error = "number is too large";
				return;
			}
			tok->number = n;
			tok->type = TOK_NUMBER;
			return;
		}
		if (is_alpha(c)) {
			if (lx->end - lx->p >= 5 &&
			    strncasecmp(lx->p, "text:", 5) == 0) {
				lex_multiline(lx, tok);
				return;
			}
			while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0))) {
				str_appendc(&tok->text, (char)peek(lx, 0));
				advance(lx);
			}
			tok->type = TOK_IDENT;
			return;
		}
		tok->type = TOK_ERROR;
		tok->error = "unexpected character";
		break;
	}
	advance(lx);
}

const char *
sieve_tok_name(enum sieve_tok t)
{
	static const char *const names[] = {
	    [TOK_EOF] = "end of script", [TOK_ERROR] = "invalid token",
	    [TOK_IDENT] = "identifier",	 [TOK_TAG] = "tag",
	    [TOK_NUMBER] = "number",	 [TOK_STRING] = "string",
	    [TOK_LBRACKET] = "'['",	 [TOK_RBRACKET] = "']'",
	    [TOK_LPAREN] = "'('",	 [TOK_RPAREN] = "')'",
	    [TOK_LBRACE] = "'{'",	 [TOK_RBRACE] = "'}'",
	    [TOK_COMMA] = "','",	 [TOK_SEMICOLON] = "';'",
	};
	return names[t];
}
