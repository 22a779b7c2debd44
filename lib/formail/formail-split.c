/*
 * formail-split.c - a mailbox cut into messages where formail -s cuts
 * it: at a From_ line with two words after "From " (after an empty line,
 * or on any line with -e) that the header fields of a message follow;
 * with -d also at a block of known header fields.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "formail.h"

struct formail_split {
	const char *s;
	size_t len, pos;
	struct formail_split_opts o;
};

bool
formail_from_candidate(const char *s, size_t n)
{
	int words = 0;
	size_t i = 5;

	if (n < 5 || memcmp(s, "From ", 5) != 0)
		return false;
	while (i < n && s[i] != '\n') {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] != '\n' && s[i] != '\r')
			words++;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			i++;
	}
	return words >= 2;
}

/* The header fields that tell a From_ line in a body from the start of
   a message (RFC 822, 1036, 1327, 2045 and common practice); any X- or
   Old- field counts too. */
static const char *const known_fields[] = {
    "Alternate-Recipient",
    "Apparently-To",
    "Approved",
    "Article",
    "Auto-Submitted",
    "Autoforwarded",
    "Bcc",
    "Cc",
    "Comments",
    "Content-Description",
    "Content-Disposition",
    "Content-ID",
    "Content-Language",
    "Content-Length",
    "Content-MD5",
    "Content-Return",
    "Content-Transfer-Encoding",
    "Content-Type",
    "Control",
    "Conversion",
    "Conversion-With-Loss",
    "Date",
    "Deferred-Delivery",
    "Delivered-To",
    "Delivery-Date",
    "Disclose-Recipients",
    "Distribution",
    "Encrypted",
    "Envelope-To",
    "Errors-To",
    "Expires",
    "Expiry-Date",
    "Followup-To",
    "From",
    "Importance",
    "In-Reply-To",
    "Keywords",
    "Language",
    "Lines",
    "Mail-From",
    "Message",
    "Message-ID",
    "Message-Type",
    "Mime-Version",
    "Newsgroups",
    "Nntp-Posting-Host",
    "Obsoletes",
    "Organisation",
    "Organization",
    "Original-To",
    "Path",
    "Posted",
    "Precedence",
    "Priority",
    "Received",
    "Received-Date",
    "References",
    "Reply-By",
    "Reply-To",
    "Resent-Bcc",
    "Resent-Cc",
    "Resent-Date",
    "Resent-From",
    "Resent-Message-ID",
    "Resent-Reply-To",
    "Resent-Sender",
    "Resent-To",
    "Return-Path",
    "Return-Receipt-To",
    "Sender",
    "Sensitivity",
    "Status",
    "Subject",
    "Summary",
    "Supersedes",
    "Text",
    "To",
    "User-Agent",
    "Via",
    "Xref",
    NULL,
};

bool
formail_known_field(const char *s, size_t n)
{
	size_t colon, nl = formail_field_name_len(s, n, &colon);

	if (nl == 0)
		return false;
	if ((nl > 2 && strncasecmp(s, "X-", 2) == 0) ||
	    (nl > 4 && strncasecmp(s, "Old-", 4) == 0))
		return true;
	for (size_t i = 0; known_fields[i] != NULL; i++)
		if (strlen(known_fields[i]) == nl &&
		    strncasecmp(s, known_fields[i], nl) == 0)
			return true;
	return false;
}

bool
formail_message_starts(const struct formail_split_opts *o, const char *s,
		       size_t n)
{
	long count = 1;
	const char *p, *e = s + n;

	if (!formail_from_candidate(s, n)) {
		/* -d: a block of known header fields starts one too */
		if (!o->digest || !formail_known_field(s, n))
			return false;
		count = 0;
		for (p = s; count < o->min_fields && p < e;) {
			if (*p == ' ' || *p == '\t') {
				if (count == 0)
					break;
			} else if (formail_known_field(p, (size_t)(e - p)))
				count++;
			else
				break;
			p = memchr(p, '\n', (size_t)(e - p));
			if (p == NULL)
				break;
			p++;
		}
		return count >= o->min_fields;
	}
	p = memchr(s, '\n', n);
	while (count < o->min_fields && p != NULL && p + 1 < e) {
		p++;
		if (!formail_known_field(p, (size_t)(e - p)))
			break;
		count++;
		p = memchr(p, '\n', (size_t)(e - p));
	}
	return count >= o->min_fields;
}

struct formail_split *
formail_split_init(const char *s, size_t len,
		   const struct formail_split_opts *opts)
{
	struct formail_split *sp = xcalloc(1, sizeof(*sp));

	sp->s = s;
	sp->len = len;
	sp->o = *opts;
	return sp;
}

/* Where the message that starts at start ends: at the next line (after
   an empty line; any line with -e) where formail_message_starts(). */
static size_t
mbox_message_end(const struct formail_split *sp, size_t start)
{
	const char *s = sp->s;
	size_t len = sp->len, p = start;

	for (;;) {
		const char *nl = memchr(s + p, '\n', len - p);

		if (nl == NULL)
			return len;
		p = (size_t)(nl - s) + 1;
		if (p >= len)
			return len;
		if ((sp->o.every || (p >= 2 && s[p - 2] == '\n')) &&
		    formail_message_starts(&sp->o, s + p, len - p))
			return p;
	}
}

int
formail_split_next(struct formail_split *sp, struct formail_part *part_r)
{
	size_t e;

	memset(part_r, 0, sizeof(*part_r));
	if (sp->pos >= sp->len)
		return 0;
	e = mbox_message_end(sp, sp->pos);
	part_r->data = sp->s + sp->pos;
	part_r->len = e - sp->pos;
	sp->pos = e;
	return 1;
}

void
formail_split_deinit(struct formail_split **sp)
{
	xfree(*sp);
}
