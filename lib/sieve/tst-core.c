/*
 * tst-core.c - the tests of RFC 5228 section 5: address, allof, anyof,
 * exists, false, header, not, size, true; and the table of the core
 * language the registry starts from.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

/* ---- header ---- */

static const struct sieve_tag_def *const header_tags[] = {
    sieve_tags_match, sieve_tags_index, NULL};

/* Pigeonhole accepts any header name (a field with an impossible name
   is simply never found), and so do we. */
static int
check_header_names(struct sieve_valid *v, const struct sieve_arg *a)
{
	(void)v;
	(void)a;
	return 0;
}

static int
index_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_LAST] && !n->cmd.has[SLOT_INDEX]) {
		sieve_error(v, n, "the :last tag requires the :index tag");
		return -1;
	}
	if (n->cmd.has[SLOT_INDEX] && n->cmd.tag[SLOT_INDEX]->number == 0) {
		sieve_error(v, n, "the :index value must be at least 1");
		return -1;
	}
	return 0;
}

static int
header_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (check_header_names(v, n->cmd.pos[0]) < 0 ||
	    index_validate(v, n) < 0)
		return -1;
	return sieve_validate_match(v, n, 1);
}

/* Keeps only the :index'th value (from the end with :last). */
void sieve_apply_index(const struct sieve_node *n, struct strlist *vals);

void
sieve_apply_index(const struct sieve_node *n, struct strlist *vals)
{
	size_t idx, keep;

	if (!n->cmd.has[SLOT_INDEX])
		return;
	idx = (size_t)n->cmd.tag[SLOT_INDEX]->number;
	if (idx == 0 || idx > vals->n) {
		strlist_free(vals);
		return;
	}
	keep = n->cmd.has[SLOT_LAST] ? vals->n - idx : idx - 1;
	for (size_t i = 0; i < vals->n; i++)
		if (i != keep)
			xfree(vals->v[i]);
	vals->v[0] = vals->v[keep];
	if (keep != 0)
		vals->v[keep] = NULL;
	for (size_t i = 1; i < vals->n; i++)
		vals->v[i] = NULL;
	vals->n = 1;
}

static int
header_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist names = {0}, vals = {0};
	int r;

	sieve_expand_list(run, n->cmd.pos[0], &names);
	for (size_t i = 0; i < names.n; i++) {
		struct strlist one = {0};

		sieve_header_values(run, names.v[i], true, &one);
		sieve_apply_index(n, &one);
		for (size_t j = 0; j < one.n; j++)
			strlist_add(&vals, one.v[j]);
		strlist_free(&one);
	}
	r = sieve_match_values(run, n, &vals, 1);
	strlist_free(&names);
	strlist_free(&vals);
	return r;
}

const struct sieve_cmd_def sieve_tst_header = {
    .name = "header",
    .kind = DEF_TEST,
    .pos = "LL",
    .tags = header_tags,
    .validate = header_validate,
    .test = header_test,
};

/* ---- address ---- */

static const struct sieve_tag_def *const address_tags[] = {
    sieve_tags_match, sieve_tags_addrpart, sieve_tags_index, NULL};

/* The header fields the address test accepts, as Pigeonhole does
   (checked for constant names). */
static const char *const address_headers[] = {
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "bcc",
    "resent-from",
    "resent-sender",
    "resent-to",
    "resent-cc",
    "resent-bcc",
    "resent-reply-to",
    "delivered-to",
    "errors-to",
    "x-original-to",
    "return-receipt-to",
    "apparently-to",
    "mail-followup-to",
    "mail-reply-to",
    "x-beenthere",
};

static int
check_address_headers(struct sieve_valid *v, const struct sieve_arg *a)
{
	for (size_t i = 0; i < a->nstrs; i++) {
		bool ok = a->strs[i].dynamic;

		for (size_t j = 0; j < N_ELEMENTS(address_headers) && !ok; j++)
			ok = strcasecmp(a->strs[i].s, address_headers[j]) == 0;
		if (!ok) {
			sieve_error_at(v, a->line, a->col,
				       "the address test: the header '%s' "
				       "does not hold addresses",
				       a->strs[i].s);
			return -1;
		}
	}
	return 0;
}

static int
address_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (check_header_names(v, n->cmd.pos[0]) < 0 ||
	    check_address_headers(v, n->cmd.pos[0]) < 0 ||
	    index_validate(v, n) < 0)
		return -1;
	return sieve_validate_match(v, n, 1);
}

/* Appends the selected part of addr to vals (nothing when the part
   does not exist). */
void sieve_address_part_add(struct sieve_run *run, struct sieve_node *n,
			    const char *addr, struct strlist *vals);

void
sieve_address_part_add(struct sieve_run *run, struct sieve_node *n,
		       const char *addr, struct strlist *vals)
{
	int part = n->cmd.has[SLOT_ADDRPART] ? n->cmd.value[SLOT_ADDRPART]
					     : MATCH_ADDR_ALL;
	char *p = match_address_part(addr, (enum match_addrpart)part,
				     sieve_subaddress_delimiter(run->config));

	if (p != NULL)
		strlist_add_owned(vals, p);
}

static bool
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* 1 when s is blank, 2 when it holds comments and blanks only, else 0. */
static int
blank_or_comments(const char *s)
{
	int r = 1;

	for (;;) {
		int depth = 0;

		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0')
			return r;
		if (*s != '(')
			return 0;
		do {
			if (*s == '\\' && s[1] != '\0')
				s++;
			else if (*s == '(')
				depth++;
			else if (*s == ')')
				depth--;
			else if (*s == '\0')
				return 0;
			s++;
		} while (depth > 0);
		r = 2;
	}
}

/* Pigeonhole (Dovecot's address parser) stops at the first syntax error
   in a list and keeps the addresses before it; ackmail's parser reads
   past two such errors: words side by side in an address without angle
   brackets ("Big Bug b@x", "a@x b@y") and an unquoted "@" in a display
   name ("a@x <b@y>"). The functions below find them. */

/* The elements of an address list: raw split at the commas outside
   quotes, comments and angle brackets. */
static void
addr_split(const char *raw, struct strlist *out)
{
	const char *start = raw;
	int depth = 0;
	bool quoted = false, angle = false;

	for (const char *p = raw;; p++) {
		if (*p == '\0') {
			strlist_add_owned(out,
					  xstrndup(start, (size_t)(p - start)));
			return;
		}
		if (*p == '\\' && (quoted || depth > 0) && p[1] != '\0') {
			p++;
			continue;
		}
		if (quoted) {
			quoted = *p != '"';
			continue;
		}
		if (depth > 0) {
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == '(')
			depth = 1;
		else if (*p == '<')
			angle = true;
		else if (*p == '>')
			angle = false;
		else if (*p == ',' && !angle) {
			strlist_add_owned(out,
					  xstrndup(start, (size_t)(p - start)));
			start = p + 1;
		}
	}
}

/* An element with its comments as blanks, without a group's name
   ("name:") and ";", trimmed. */
static char *
addr_core(const char *e)
{
	struct str out = STR_INIT;
	int depth = 0;
	bool quoted = false, angle = false;

	str_append(&out, "");
	for (const char *p = e; *p != '\0'; p++) {
		if (depth > 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else
				depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			continue;
		}
		if (quoted) {
			if (*p == '\\' && p[1] != '\0')
				str_appendc(&out, *p++);
			else if (*p == '"')
				quoted = false;
			str_appendc(&out, *p);
			continue;
		}
		if (*p == '(') {
			depth = 1;
			str_appendc(&out, ' ');
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == '<')
			angle = true;
		else if (*p == '>')
			angle = false;
		else if (*p == ':' && !angle) {
			str_truncate(&out, 0);
			continue;
		} else if (*p == ';' && !angle)
			continue;
		str_appendc(&out,
			    *p == '\t' || *p == '\r' || *p == '\n' ? ' ' : *p);
	}
	str_trim(out.s);
	out.len = strlen(out.s);
	return str_steal(&out);
}

/* true when s (len octets) is local@domain, both parts there, no blank. */
static bool
addr_spec_like(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	return at != NULL && at > s && at + 1 < s + len &&
	       memchr(s, ' ', len) == NULL &&
	       memchr(at + 1, '@', len - (size_t)(at + 1 - s)) == NULL;
}

/* true when core (addr_core) has one of the two errors; *lead_r is then
   the address that stands before the error, or NULL. */
static bool
addr_error(const char *core, char **lead_r)
{
	const char *lt = NULL, *err = NULL;
	bool quoted = false, domain = false;

	*lead_r = NULL;
	for (const char *p = core; *p != '\0' && lt == NULL; p++) {
		if (quoted) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				quoted = false;
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == '<')
			lt = p;
		else if (*p == '@')
			domain = true;
		else if (*p == ' ' && err == NULL && p > core && p[-1] != ' ' &&
			 p[-1] != '@') {
			/* blanks may stand beside "@", and beside "." in
			   the domain ("jdoe@test . example"), not elsewhere */
			const char *q = p + strspn(p, " ");

			if (*q != '\0' && *q != '@' && *q != '<' &&
			    !(domain && (p[-1] == '.' || *q == '.')))
				err = p;
		}
	}
	if (lt != NULL) {
		/* an unquoted '@' in the display name */
		const char *at = NULL;

		quoted = false;
		for (const char *p = core; p < lt; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == '@' && !quoted) {
				at = p;
				break;
			}
		}
		if (at == NULL) {
			/* text after the angle address: the address
			   stands before the error */
			const char *gt = strchr(lt, '>');
			const char *a = lt + 1 + strspn(lt + 1, " ");
			size_t n;

			if (gt == NULL || gt[1 + strspn(gt + 1, " ")] == '\0')
				return false;
			n = (size_t)(gt - a);
			while (n > 0 && a[n - 1] == ' ')
				n--;
			if (addr_spec_like(a, n))
				*lead_r = xstrndup(a, n);
			return true;
		}
	} else if (err == NULL)
		return false;
	{
		size_t n = strcspn(core, " <");

		if (addr_spec_like(core, n))
			*lead_r = xstrndup(core, n);
	}
	return true;
}

/* The addresses of raw as Pigeonhole takes them (see above). */
static void
addr_parse(const char *raw, struct msg_addrlist *l)
{
	struct strlist el = {0};

	addr_split(raw, &el);
	for (size_t i = 0; i < el.n; i++) {
		char *core = addr_core(el.v[i]), *lead;

		if (addr_error(core, &lead)) {
			for (size_t k = 0; k < i; k++)
				msg_addr_parse(el.v[k], l);
			if (lead != NULL)
				msg_addr_parse(lead, l);
			free(lead);
			free(core);
			strlist_free(&el);
			return;
		}
		free(core);
	}
	strlist_free(&el);
	msg_addr_parse(raw, l);
}

static int
address_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist names = {0}, vals = {0};
	int r;

	sieve_expand_list(run, n->cmd.pos[0], &names);
	for (size_t i = 0; i < names.n; i++) {
		struct strlist raw = {0}, addrs = {0};

		sieve_header_values(run, names.v[i], false, &raw);
		/* :index picks the field (all its addresses), as RFC 5260
		   and Pigeonhole have it */
		sieve_apply_index(n, &raw);
		for (size_t j = 0; j < raw.n; j++) {
			struct msg_addrlist l = {0};
			bool valid = false;

			/* as Pigeonhole: an empty field is one empty address
			   (every part "", :detail too), a field of comments
			   none at all */
			switch (blank_or_comments(raw.v[j])) {
			case 1:
				strlist_add(&addrs, "\002");
				continue;
			case 2:
				continue;
			}
			addr_parse(raw.v[j], &l);
			for (size_t k = 0; k < l.n; k++) {
				const struct msg_addr *a = &l.v[k];

				/* 8-bit addresses (RFC 6532) are not
				   addresses to Pigeonhole either */
				if (a->domain != NULL && *a->domain != '\0' &&
				    *a->local != '\0' && ascii_only(a->local) &&
				    ascii_only(a->domain)) {
					strlist_add_owned(
					    &addrs, xasprintf("%s@%s", a->local,
							      a->domain));
					valid = true;
				}
			}
			/* no address at all ("undisclosed-recipients:;",
			   "<>", a bare word): Pigeonhole gives :all the
			   field's text and the other parts nothing */
			if (!valid)
				strlist_add_owned(
				    &addrs, xasprintf("\001%s", raw.v[j]));
			msg_addrlist_free(&l);
		}
		for (size_t j = 0; j < addrs.n; j++) {
			if (addrs.v[j][0] == '\002')
				strlist_add(&vals, "");
			else if (addrs.v[j][0] != '\001')
				sieve_address_part_add(run, n, addrs.v[j],
						       &vals);
			else if (!n->cmd.has[SLOT_ADDRPART] ||
				 n->cmd.value[SLOT_ADDRPART] == MATCH_ADDR_ALL)
				strlist_add(&vals, addrs.v[j] + 1);
		}
		strlist_free(&raw);
		strlist_free(&addrs);
	}
	r = sieve_match_values(run, n, &vals, 1);
	strlist_free(&names);
	strlist_free(&vals);
	return r;
}

const struct sieve_cmd_def sieve_tst_address = {
    .name = "address",
    .kind = DEF_TEST,
    .pos = "LL",
    .tags = address_tags,
    .validate = address_validate,
    .test = address_test,
};

/* ---- exists, size ---- */

static int
exists_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return check_header_names(v, n->cmd.pos[0]);
}

static int
exists_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist names = {0};
	int r = 1;

	sieve_expand_list(run, n->cmd.pos[0], &names);
	for (size_t i = 0; i < names.n && r == 1; i++) {
		struct strlist vals = {0};

		sieve_header_values(run, names.v[i], false, &vals);
		if (vals.n == 0)
			r = 0;
		strlist_free(&vals);
	}
	strlist_free(&names);
	return r;
}

const struct sieve_cmd_def sieve_tst_exists = {
    .name = "exists",
    .kind = DEF_TEST,
    .pos = "L",
    .validate = exists_validate,
    .test = exists_test,
};

static const struct sieve_tag_def size_tag_table[] = {
    {"over", NULL, SLOT_OVER, 0, 0},
    {"under", NULL, SLOT_UNDER, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const size_tags[] = {size_tag_table, NULL};

static int
size_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_OVER] == n->cmd.has[SLOT_UNDER]) {
		sieve_error(v, n,
			    "the size test requires exactly one of the :over "
			    "or :under tags");
		return -1;
	}
	return 0;
}

static int
size_test(struct sieve_run *run, struct sieve_node *n)
{
	size_t raw_len;
	/* the whole input, a leading From_ line included: Pigeonhole
	   (dovecot-lda, sieve-test) counts it too */
	uint64_t size = (msg_raw(run->msg, &raw_len), raw_len);
	uint64_t limit = n->cmd.pos[0]->number;

	return n->cmd.has[SLOT_OVER] ? size > limit : size < limit;
}

const struct sieve_cmd_def sieve_tst_size = {
    .name = "size",
    .kind = DEF_TEST,
    .pos = "N",
    .tags = size_tags,
    .validate = size_validate,
    .test = size_test,
};

/* ---- allof, anyof, not (lowered to jumps), true, false ---- */

static int
true_test(struct sieve_run *run, struct sieve_node *n)
{
	return 1;
}

static int
false_test(struct sieve_run *run, struct sieve_node *n)
{
	return 0;
}

const struct sieve_cmd_def sieve_tst_allof = {
    .name = "allof",
    .kind = DEF_TEST,
    .pos = "",
    .tests = 2,
    .lower = LOWER_ALLOF,
};
const struct sieve_cmd_def sieve_tst_anyof = {
    .name = "anyof",
    .kind = DEF_TEST,
    .pos = "",
    .tests = 2,
    .lower = LOWER_ANYOF,
};
const struct sieve_cmd_def sieve_tst_not = {
    .name = "not",
    .kind = DEF_TEST,
    .pos = "",
    .tests = 1,
    .lower = LOWER_NOT,
};
const struct sieve_cmd_def sieve_tst_true = {
    .name = "true",
    .kind = DEF_TEST,
    .pos = "",
    .test = true_test,
};
const struct sieve_cmd_def sieve_tst_false = {
    .name = "false",
    .kind = DEF_TEST,
    .pos = "",
    .test = false_test,
};

extern const struct sieve_cmd_def sieve_cmd_require, sieve_cmd_if,
    sieve_cmd_elsif, sieve_cmd_else, sieve_cmd_stop, sieve_cmd_keep,
    sieve_cmd_discard, sieve_cmd_redirect;

const struct sieve_cmd_def *const sieve_core_defs[] = {
    &sieve_cmd_require, &sieve_cmd_if,	     &sieve_cmd_elsif,
    &sieve_cmd_else,	&sieve_cmd_stop,     &sieve_cmd_keep,
    &sieve_cmd_discard, &sieve_cmd_redirect, &sieve_tst_header,
    &sieve_tst_address, &sieve_tst_exists,   &sieve_tst_size,
    &sieve_tst_allof,	&sieve_tst_anyof,    &sieve_tst_not,
    &sieve_tst_true,	&sieve_tst_false,    NULL,
};
