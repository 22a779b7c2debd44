/*
 * sieve-html.c - the text of an HTML body part for the body test's :text
 * transform (RFC 5173 section 5), extracted as Pigeonhole extracts it so
 * that the same keys match: a tag becomes one blank, comments, scripts
 * and styles vanish, CDATA is kept, entities are decoded (unknown ones
 * dropped), a blockquote's text is marked "> ", and the text's own line
 * breaks and blanks stay as they are. What an unfinished construct at the
 * very end leaves (a tag name, an entity without ";") is dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

enum html_state {
	HS_TEXT,
	HS_TAG,
	HS_TAG_DQUOTED,
	HS_TAG_DQUOTED_ESC,
	HS_TAG_SQUOTED,
	HS_TAG_SQUOTED_ESC,
	HS_COMMENT,
	HS_COMMENT_END,
	HS_SCRIPT,
	HS_STYLE,
	HS_CDATA,
};

struct html_entity {
	const char *name;
	unsigned int cp;
};

/* The HTML 4 entities and &apos;, with &lang; and &rang; as HTML 5 has
   them; sorted by name (strcmp) for bsearch. Names are case-sensitive. */
static const struct html_entity html_entities[] = {
    {"AElig", 0x00C6},	 {"Aacute", 0x00C1},  {"Acirc", 0x00C2},
    {"Agrave", 0x00C0},	 {"Alpha", 0x0391},   {"Aring", 0x00C5},
    {"Atilde", 0x00C3},	 {"Auml", 0x00C4},    {"Beta", 0x0392},
    {"Ccedil", 0x00C7},	 {"Chi", 0x03A7},     {"Dagger", 0x2021},
    {"Delta", 0x0394},	 {"ETH", 0x00D0},     {"Eacute", 0x00C9},
    {"Ecirc", 0x00CA},	 {"Egrave", 0x00C8},  {"Epsilon", 0x0395},
    {"Eta", 0x0397},	 {"Euml", 0x00CB},    {"Gamma", 0x0393},
    {"Iacute", 0x00CD},	 {"Icirc", 0x00CE},   {"Igrave", 0x00CC},
    {"Iota", 0x0399},	 {"Iuml", 0x00CF},    {"Kappa", 0x039A},
    {"Lambda", 0x039B},	 {"Mu", 0x039C},      {"Ntilde", 0x00D1},
    {"Nu", 0x039D},	 {"OElig", 0x0152},   {"Oacute", 0x00D3},
    {"Ocirc", 0x00D4},	 {"Ograve", 0x00D2},  {"Omega", 0x03A9},
    {"Omicron", 0x039F}, {"Oslash", 0x00D8},  {"Otilde", 0x00D5},
    {"Ouml", 0x00D6},	 {"Phi", 0x03A6},     {"Pi", 0x03A0},
    {"Prime", 0x2033},	 {"Psi", 0x03A8},     {"Rho", 0x03A1},
    {"Scaron", 0x0160},	 {"Sigma", 0x03A3},   {"THORN", 0x00DE},
    {"Tau", 0x03A4},	 {"Theta", 0x0398},   {"Uacute", 0x00DA},
    {"Ucirc", 0x00DB},	 {"Ugrave", 0x00D9},  {"Upsilon", 0x03A5},
    {"Uuml", 0x00DC},	 {"Xi", 0x039E},      {"Yacute", 0x00DD},
    {"Yuml", 0x0178},	 {"Zeta", 0x0396},    {"aacute", 0x00E1},
    {"acirc", 0x00E2},	 {"acute", 0x00B4},   {"aelig", 0x00E6},
    {"agrave", 0x00E0},	 {"alefsym", 0x2135}, {"alpha", 0x03B1},
    {"amp", 0x0026},	 {"and", 0x2227},     {"ang", 0x2220},
    {"apos", 0x0027},	 {"aring", 0x00E5},   {"asymp", 0x2248},
    {"atilde", 0x00E3},	 {"auml", 0x00E4},    {"bdquo", 0x201E},
    {"beta", 0x03B2},	 {"brvbar", 0x00A6},  {"bull", 0x2022},
    {"cap", 0x2229},	 {"ccedil", 0x00E7},  {"cedil", 0x00B8},
    {"cent", 0x00A2},	 {"chi", 0x03C7},     {"circ", 0x02C6},
    {"clubs", 0x2663},	 {"cong", 0x2245},    {"copy", 0x00A9},
    {"crarr", 0x21B5},	 {"cup", 0x222A},     {"curren", 0x00A4},
    {"dArr", 0x21D3},	 {"dagger", 0x2020},  {"darr", 0x2193},
    {"deg", 0x00B0},	 {"delta", 0x03B4},   {"diams", 0x2666},
    {"divide", 0x00F7},	 {"eacute", 0x00E9},  {"ecirc", 0x00EA},
    {"egrave", 0x00E8},	 {"empty", 0x2205},   {"emsp", 0x2003},
    {"ensp", 0x2002},	 {"epsilon", 0x03B5}, {"equiv", 0x2261},
    {"eta", 0x03B7},	 {"eth", 0x00F0},     {"euml", 0x00EB},
    {"euro", 0x20AC},	 {"exist", 0x2203},   {"fnof", 0x0192},
    {"forall", 0x2200},	 {"frac12", 0x00BD},  {"frac14", 0x00BC},
    {"frac34", 0x00BE},	 {"frasl", 0x2044},   {"gamma", 0x03B3},
    {"ge", 0x2265},	 {"gt", 0x003E},      {"hArr", 0x21D4},
    {"harr", 0x2194},	 {"hearts", 0x2665},  {"hellip", 0x2026},
    {"iacute", 0x00ED},	 {"icirc", 0x00EE},   {"iexcl", 0x00A1},
    {"igrave", 0x00EC},	 {"image", 0x2111},   {"infin", 0x221E},
    {"int", 0x222B},	 {"iota", 0x03B9},    {"iquest", 0x00BF},
    {"isin", 0x2208},	 {"iuml", 0x00EF},    {"kappa", 0x03BA},
    {"lArr", 0x21D0},	 {"lambda", 0x03BB},  {"lang", 0x27E8},
    {"laquo", 0x00AB},	 {"larr", 0x2190},    {"lceil", 0x2308},
    {"ldquo", 0x201C},	 {"le", 0x2264},      {"lfloor", 0x230A},
    {"lowast", 0x2217},	 {"loz", 0x25CA},     {"lrm", 0x200E},
    {"lsaquo", 0x2039},	 {"lsquo", 0x2018},   {"lt", 0x003C},
    {"macr", 0x00AF},	 {"mdash", 0x2014},   {"micro", 0x00B5},
    {"middot", 0x00B7},	 {"minus", 0x2212},   {"mu", 0x03BC},
    {"nabla", 0x2207},	 {"nbsp", 0x00A0},    {"ndash", 0x2013},
    {"ne", 0x2260},	 {"ni", 0x220B},      {"not", 0x00AC},
    {"notin", 0x2209},	 {"nsub", 0x2284},    {"ntilde", 0x00F1},
    {"nu", 0x03BD},	 {"oacute", 0x00F3},  {"ocirc", 0x00F4},
    {"oelig", 0x0153},	 {"ograve", 0x00F2},  {"oline", 0x203E},
    {"omega", 0x03C9},	 {"omicron", 0x03BF}, {"oplus", 0x2295},
    {"or", 0x2228},	 {"ordf", 0x00AA},    {"ordm", 0x00BA},
    {"oslash", 0x00F8},	 {"otilde", 0x00F5},  {"otimes", 0x2297},
    {"ouml", 0x00F6},	 {"para", 0x00B6},    {"part", 0x2202},
    {"permil", 0x2030},	 {"perp", 0x22A5},    {"phi", 0x03C6},
    {"pi", 0x03C0},	 {"piv", 0x03D6},     {"plusmn", 0x00B1},
    {"pound", 0x00A3},	 {"prime", 0x2032},   {"prod", 0x220F},
    {"prop", 0x221D},	 {"psi", 0x03C8},     {"quot", 0x0022},
    {"rArr", 0x21D2},	 {"radic", 0x221A},   {"rang", 0x27E9},
    {"raquo", 0x00BB},	 {"rarr", 0x2192},    {"rceil", 0x2309},
    {"rdquo", 0x201D},	 {"real", 0x211C},    {"reg", 0x00AE},
    {"rfloor", 0x230B},	 {"rho", 0x03C1},     {"rlm", 0x200F},
    {"rsaquo", 0x203A},	 {"rsquo", 0x2019},   {"sbquo", 0x201A},
    {"scaron", 0x0161},	 {"sdot", 0x22C5},    {"sect", 0x00A7},
    {"shy", 0x00AD},	 {"sigma", 0x03C3},   {"sigmaf", 0x03C2},
    {"sim", 0x223C},	 {"spades", 0x2660},  {"sub", 0x2282},
    {"sube", 0x2286},	 {"sum", 0x2211},     {"sup", 0x2283},
    {"sup1", 0x00B9},	 {"sup2", 0x00B2},    {"sup3", 0x00B3},
    {"supe", 0x2287},	 {"szlig", 0x00DF},   {"tau", 0x03C4},
    {"there4", 0x2234},	 {"theta", 0x03B8},   {"thetasym", 0x03D1},
    {"thinsp", 0x2009},	 {"thorn", 0x00FE},   {"tilde", 0x02DC},
    {"times", 0x00D7},	 {"trade", 0x2122},   {"uArr", 0x21D1},
    {"uacute", 0x00FA},	 {"uarr", 0x2191},    {"ucirc", 0x00FB},
    {"ugrave", 0x00F9},	 {"uml", 0x00A8},     {"upsih", 0x03D2},
    {"upsilon", 0x03C5}, {"uuml", 0x00FC},    {"weierp", 0x2118},
    {"xi", 0x03BE},	 {"yacute", 0x00FD},  {"yen", 0x00A5},
    {"yuml", 0x00FF},	 {"zeta", 0x03B6},    {"zwj", 0x200D},
    {"zwnj", 0x200C},
};

/* The longest entity name looked up; a longer one is not an entity. */
#define HTML_ENTITY_MAX 9

static bool
html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct html_entity *)elem)->name);
}

/* Parses the digits of a numeric reference (the whole of s, at least
   one digit). Returns 0/-1. */
static int
parse_number(const char *s, int base, unsigned long *cp_r)
{
	unsigned long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		n = n * (unsigned long)base + (unsigned long)d;
		if (n > 0xffffffffUL)
			return -1;
	}
	*cp_r = n;
	return 0;
}

/* a NUL cannot be part of a value */
static void
append_char(struct str *out, unsigned long cp)
{
	if (cp != 0)
		str_append_utf8(out, cp);
}

/* Appends the character of entity name (without "&" and ";"), if it is
   one: a named entity, "#NNN" or "#xHHH" (a Unicode scalar value). */
static void
append_entity(struct str *out, const char *name)
{
	const struct html_entity *e;
	unsigned long cp;

	e = bsearch(name, html_entities, N_ELEMENTS(html_entities),
		    sizeof(html_entities[0]), entity_cmp);
	if (e != NULL) {
		append_char(out, e->cp);
		return;
	}
	if (name[0] != '#')
		return;
	if ((name[1] == 'x' && parse_number(name + 2, 16, &cp) == 0) ||
	    parse_number(name + 1, 10, &cp) == 0)
		if (cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff))
			append_char(out, cp);
}

/* One blank after a tag, unless the text is empty or ends in a blank or
   a line break. */
static void
add_space(struct str *out)
{
	if (out->len > 0 && out->s[out->len - 1] != ' ' &&
	    out->s[out->len - 1] != '\n')
		str_appendc(out, ' ');
}

/* Does p (n octets left) start with name (case-insensitively) followed
   by a blank or ">"? */
static bool
tag_is(const char *p, size_t n, const char *name)
{
	size_t l = strlen(name);

	return n > l && strncasecmp(p, name, l) == 0 &&
	       (html_space(p[l]) || p[l] == '>');
}

/* Does the end tag at p (n octets left) start there? -1: the text ends
   inside what could still be it. */
static int
end_tag_at(const char *p, size_t n, const char *tag)
{
	size_t l = strlen(tag), m = n < l ? n : l;

	if (strncasecmp(p, tag, m) != 0)
		return 0;
	return m < l ? -1 : 1;
}

char *
sieve_html_text(const char *html, size_t len)
{
	struct str out = STR_INIT;
	enum html_state st = HS_TEXT;
	unsigned int quote_level = 0;
	bool add_newline = false;

	str_append(&out, "");
	for (size_t i = 0; i < len; i++) {
		char c = html[i];
		const char *rest = html + i + 1;
		size_t n = len - i - 1;
		int r;

		switch (st) {
		case HS_TEXT:
			if (c == '<') {
				if (n >= 3 && memcmp(rest, "!--", 3) == 0) {
					st = HS_COMMENT;
					i += 3;
				} else if (tag_is(rest, n, "script")) {
					st = HS_SCRIPT;
					i += 7;
				} else if (tag_is(rest, n, "style")) {
					st = HS_STYLE;
					i += 6;
				} else if (n >= 8 &&
					   strncasecmp(rest, "![CDATA[", 8) ==
					       0) {
					st = HS_CDATA;
					i += 8;
				} else if (tag_is(rest, n, "blockquote")) {
					quote_level++;
					st = HS_TAG;
				} else if (quote_level > 0 && n >= 12 &&
					   strncasecmp(rest, "/blockquote>",
						       12) == 0) {
					quote_level--;
					add_newline = true;
					st = HS_TAG;
				} else {
					size_t k = 0;

					/* a short tag name must be seen
					   whole */
					while (n < 12 && k < n &&
					       !html_space(rest[k]) &&
					       rest[k] != '>')
						k++;
					if (n < 12 && k == n)
						goto done;
					st = HS_TAG;
				}
			} else if (c == '&') {
				char name[HTML_ENTITY_MAX + 1];
				bool broken = false;
				size_t k;

				for (k = 0; k < n; k++) {
					if (html_space(rest[k]) ||
					    k > HTML_ENTITY_MAX) {
						broken = true;
						break;
					}
					if (rest[k] == ';')
						break;
				}
				if (broken)
					break; /* not an entity: "&" dropped */
				if (k == n)
					goto done;
				memcpy(name, rest, k);
				name[k] = '\0';
				append_entity(&out, name);
				i += k + 1;
			} else {
				str_appendc(&out, c);
			}
			break;
		case HS_TAG:
			if (c == '"') {
				st = HS_TAG_DQUOTED;
			} else if (c == '\'') {
				st = HS_TAG_SQUOTED;
			} else if (c == '>') {
				st = HS_TEXT;
				if (quote_level > 0)
					str_append(&out, "\n>");
				else if (add_newline)
					str_appendc(&out, '\n');
				add_newline = false;
				add_space(&out);
			}
			break;
		case HS_TAG_DQUOTED:
			if (c == '"')
				st = HS_TAG;
			else if (c == '\\')
				st = HS_TAG_DQUOTED_ESC;
			break;
		case HS_TAG_DQUOTED_ESC:
			st = HS_TAG_DQUOTED;
			break;
		case HS_TAG_SQUOTED:
			if (c == '\'')
				st = HS_TAG;
			else if (c == '\\')
				st = HS_TAG_SQUOTED_ESC;
			break;
		case HS_TAG_SQUOTED_ESC:
			st = HS_TAG_SQUOTED;
			break;
		case HS_COMMENT:
			if (c == '-') {
				if (n == 0)
					goto done;
				if (rest[0] == '-') {
					st = HS_COMMENT_END;
					i++;
				}
			}
			break;
		case HS_COMMENT_END:
			if (c == '>')
				st = HS_TEXT;
			else if (!html_space(c))
				st = HS_COMMENT;
			break;
		case HS_SCRIPT:
		case HS_STYLE:
			if (c != '<')
				break;
			r = end_tag_at(html + i, n + 1,
				       st == HS_SCRIPT ? "</script>"
						       : "</style>");
			if (r < 0)
				goto done;
			if (r > 0) {
				add_space(&out);
				i += st == HS_SCRIPT ? 8 : 7;
				st = HS_TEXT;
			}
			break;
		case HS_CDATA:
			if (c == ']') {
				r = end_tag_at(html + i, n + 1, "]]>");
				if (r < 0)
					goto done;
				if (r > 0) {
					st = HS_TEXT;
					i += 2;
					break;
				}
			}
			str_appendc(&out, c);
			break;
		}
	}
done:
	return str_steal(&out);
}
