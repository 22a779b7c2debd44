/*
 * imap-utf7.c - modified UTF-7 for IMAP mailbox names (RFC 3501
 * 5.1.3): printable US-ASCII stands for itself, "&" is written "&-",
 * everything else is UTF-16 in a base64 variant ("," for "/", no
 * padding) between "&" and "-".
 *
 * The decoder is strict: it accepts only the one canonical spelling of
 * a name (no encoded printable ASCII, no two encoded runs side by side,
 * no stray bits, no lone surrogates), so that decoding and encoding
 * again gives back the same bytes, and two spellings never name the
 * same folder in our logs and records.
 */
#include <string.h>

#include "transport.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static bool
direct(unsigned int c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* One code point from UTF-8 at *p (advanced). -1 for malformed input:
   overlong forms, surrogates, values past U+10FFFF, NUL. */
static long
utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	unsigned long c;
	int n;

	if (p[0] < 0x80) {
		c = p[0];
		n = 0;
	} else if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		n = 3;
	} else {
		return -1;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) ||
	    (n == 3 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff) || c == 0)
		return -1;
	*pp = p + n + 1;
	return (long)c;
}

int
imap_utf7_encode(const char *utf8, char **out_r, const char **error_r)
{
	const unsigned char *p = (const unsigned char *)utf8;
	struct str out = STR_INIT;

	str_init(&out);
	while (*p != '\0') {
		unsigned long bits = 0;
		int nbits = 0;

		if (direct(*p)) {
			if (*p == '&')
				str_append(&out, "&-");
			else
				str_appendc(&out, (char)*p);
			p++;
			continue;
		}
		/* one run of characters that need encoding */
		str_appendc(&out, '&');
		while (*p != '\0' && !direct(*p)) {
			long c = utf8_next(&p);
			unsigned int units[2];
			int nunits = 1;

			if (c < 0) {
				str_free(&out);
				*error_r = "not valid UTF-8";
				return -1;
			}
			if (c >= 0x10000) {
				c -= 0x10000;
				units[0] = 0xd800 | (unsigned int)(c >> 10);
				units[1] = 0xdc00 | (unsigned int)(c & 0x3ff);
				nunits = 2;
			} else {
				units[0] = (unsigned int)c;
			}
			for (int u = 0; u < nunits; u++) {
				bits = (bits << 16) | units[u];
				nbits += 16;
				while (nbits >= 6) {
					nbits -= 6;
					str_appendc(
					    &out, b64[(bits >> nbits) & 0x3f]);
				}
			}
		}
		if (nbits > 0)
			str_appendc(&out, b64[(bits << (6 - nbits)) & 0x3f]);
		str_appendc(&out, '-');
	}
	*out_r = str_steal(&out);
	return 0;
}

static int
b64_value(unsigned char c)
{
	const char *q;

	if (c == '\0' || (q = strchr(b64, c)) == NULL)
		return -1;
	return (int)(q - b64);
}

int
imap_utf7_decode(const char *mutf7, char **out_r, const char **error_r)
{
	const unsigned char *p = (const unsigned char *)mutf7;
	struct str out = STR_INIT;
	bool after_run = false;

	str_init(&out);
	while (*p != '\0') {
		unsigned long bits = 0, high = 0;
		int nbits = 0, v;
		bool any = false;

		if (*p != '&') {
			if (!direct(*p)) {
				*error_r = "8-bit or control character in a "
					   "modified UTF-7 name";
				goto fail;
			}
			str_appendc(&out, (char)*p++);
			after_run = false;
			continue;
		}
		p++;
		if (*p == '-') {
			str_appendc(&out, '&');
			p++;
			after_run = false;
			continue;
		}
		if (after_run) {
			*error_r = "two encoded runs side by side";
			goto fail;
		}
		while ((v = b64_value(*p)) >= 0) {
			p++;
			bits = (bits << 6) | (unsigned long)v;
			nbits += 6;
			if (nbits < 16)
				continue;
			nbits -= 16;
			unsigned long u = (bits >> nbits) & 0xffff;

			bits &= (1UL << nbits) - 1;
			if (high != 0) {
				if (u < 0xdc00 || u > 0xdfff) {
					*error_r = "unpaired surrogate";
					goto fail;
				}
				str_append_utf8(
				    &out, 0x10000 + ((high - 0xd800) << 10) +
					      (u - 0xdc00));
				high = 0;
			} else if (u >= 0xd800 && u <= 0xdbff) {
				high = u;
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				*error_r = "unpaired surrogate";
				goto fail;
			} else if (direct((unsigned int)u) || u == 0) {
				*error_r = "encoded character that must be "
					   "written directly";
				goto fail;
			} else {
				str_append_utf8(&out, u);
			}
			any = true;
		}
		if (*p != '-') {
			*error_r = "encoded run not ended by \"-\"";
			goto fail;
		}
		p++;
		if (!any || high != 0 || nbits >= 6 || bits != 0) {
			*error_r = "encoded run of a wrong length";
			goto fail;
		}
		after_run = true;
	}
	*out_r = str_steal(&out);
	return 0;
fail:
	str_free(&out);
	return -1;
}
