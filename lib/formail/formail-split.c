/*
 * formail-split.c - a mailbox cut into messages where formail -s cuts
 * it: at a From_ line with two words after "From " (after an empty line,
 * or on any line with -e) that the header fields of a message follow;
 * with -d also at a block of known header fields.
 *
 * A BABYL rmail file (-B) is read as formail reads one: the file header
 * up to the first "\037\f" line and the attribute line after it are
 * skipped; a message is its original header, then - the "*** EOOH ***"
 * line and the visible header being skipped up to the next empty line -
 * its body, up to a line that starts with \037. What follows that line
 * is looked through for the next message as -e -d would.
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
	bool started;	/* BABYL: the file header is behind */
	struct str buf; /* BABYL: the message as formail sees it */
};

static int babyl_next(struct formail_split *sp, struct formail_part *part_r);

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

/* The header fields that tell a message start from a body line, the
   names formail knows (RFC 822, 1036, 1327, 1521, 1894 and common
   practice); any X- or Old- field counts too. */
static const char *const known_fields[] = {
    "Accept",
    "Acknowledge-To",
    "Allow",
    "Alternate-Recipient",
    "Anon-Post-To",
    "Anon-Send-To",
    "App-Message-ID",
    "Apparently-Resent-To",
    "Apparently-To",
    "Approved",
    "Article",
    "Article-I.D.",
    "Auto-Forward-Count",
    "Auto-Forwarded-From",
    "Auto-Submitted",
    "Autoforwarded",
    "Bcc",
    "Cc",
    "Comments",
    "Content-Description",
    "Content-Disposition",
    "Content-ID",
    "Content-Identifier",
    "Content-Language",
    "Content-Length",
    "Content-MD5",
    "Content-Return",
    "Content-Transfer-Encoding",
    "Content-Type",
    "Control",
    "Conversion",
    "Conversion-With-Loss",
    "Cost",
    "Cutmarks",
    "Date",
    "Default-Options",
    "Deferred-Delivery",
    "Delivered-To",
    "Delivery-Date",
    "Derived-From",
    "Diagnostic-Code",
    "Discarded-X400-IPMS-Extensions",
    "Discarded-X400-MTS-Extensions",
    "Disclose-Recipients",
    "Distribution",
    "DL-Expansion-History",
    "Encoding",
    "Encrypt-Key",
    "Encrypted",
    "End-of-Header",
    "Envelope-To",
    "Errors-To",
    "Expires",
    "Expiry-Date",
    "Fake-Sender",
    "Fcc",
    "Final-Recipient",
    "Followup-To",
    "Forwarded",
    "From",
    "From-warning",
    "Full-Name",
    "Generate-Delivery-Report",
    "Hop-count",
    "Importance",
    "In-Reply-To",
    "Incomplete-Copy",
    "Keywords",
    "Language",
    "Last-Attempt-Date",
    "Last-Modified",
    "Latent-Time",
    "Latest-Delivery-Time",
    "Lines",
    "Mail-Copies-To",
    "Mail-from",
    "Mailing-List",
    "Message",
    "Message-ID",
    "Message-Type",
    "MIME-Version",
    "MR-Received",
    "Newsgroups",
    "NNTP-Posting-Date",
    "NNTP-Posting-Host",
    "Not-Delivered-To",
    "Notice-Requested-Upon-Delivery-To",
    "Obsoletes",
    "Organisation",
    "Organization",
    "Original-Auto-Forwarded-From",
    "Original-Cc",
    "Original-Date",
    "Original-Encoded-Information-Types",
    "Original-From",
    "Original-Received",
    "Original-To",
    "Originator",
    "Originator-Return-Address",
    "Path",
    "Post-To",
    "Posted",
    "Posted-Date",
    "Posted-To",
    "PP-Warning",
    "Precedence",
    "Prevent-Nondelivery-Report",
    "Priority",
    "Public",
    "Read-Receipt-To",
    "Received",
    "Received-Date",
    "Reference",
    "References",
    "Relay-Version",
    "Remote-MTA",
    "Replied",
    "Reply-By",
    "Reply-To",
    "Report-Version",
    "Request-Remailing-To",
    "Requested-Delivery-Method",
    "Resent",
    "Resent-Bcc",
    "Resent-Cc",
    "Resent-Date",
    "Resent-From",
    "Resent-Message-ID",
    "Resent-Reply-To",
    "Resent-Sender",
    "Resent-To",
    "Return-Path",
    "Return-Receipt-Requested",
    "Return-Receipt-To",
    "Sender",
    "Sensitivity",
    "Sent-By",
    "Server",
    "Status",
    "Subject",
    "Submitted-by",
    "Summary",
    "Supersedes",
    "Text",
    "Title",
    "To",
    "Transport-Options",
    "URI",
    "User-Agent",
    "Version",
    "Via",
    "WWW-Link",
    "X400-Content-Type",
    "X400-MTS-Identifier",
    "X400-Originator",
    "X400-Received",
    "X400-Recipients",
    "X400-Trace",
    "Xref",
    NULL,
};

bool
formail_known_field(const char *s, size_t n)
{
	size_t colon, nl = formail_field_name_len(s, n, &colon);

	if (nl == 0)
		return false;
	if ((nl >= 2 && strncasecmp(s, "X-", 2) == 0) ||
	    (nl >= 4 && strncasecmp(s, "Old-", 4) == 0))
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
	const char *p, *e = s + n;
	long count = 1;

	/* a From_ line, or with -d a known field, then known fields (their
	   continuation lines belong to them) */
	if (!formail_from_candidate(s, n) &&
	    (!o->digest || !formail_known_field(s, n)))
		return false;
	p = memchr(s, '\n', n);
	while (count < o->min_fields && p != NULL && p + 1 < e) {
		p++;
		if (*p != ' ' && *p != '\t') {
			if (!formail_known_field(p, (size_t)(e - p)))
				break;
			count++;
		}
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
	str_append(&sp->buf, "");
	if (!opts->babyl) /* empty lines before the first message */
		while (sp->pos < len && s[sp->pos] == '\n')
			sp->pos++;
	return sp;
}

/* Where the message that starts at start ends: at the next line of its
   body (after an empty line; any line with -e) where
   formail_message_starts(); its header is not looked at. With a
   Content-Length the look starts where the bytes it covers end, as if
   a line began there. */
static size_t
mbox_message_end(const struct formail_split *sp, size_t start)
{
	const char *s = sp->s;
	size_t len = sp->len, p;
	size_t stop = start + formail_header_len(s + start, len - start);
	bool cut = stop < len && s[stop] != '\n';
	size_t body = cut || stop >= len ? stop : stop + 1;
	long n = sp->o.body_length != NULL
		     ? sp->o.body_length(s + start, len - start,
					 sp->o.body_length_ctx)
		     : 0;
	bool empty; /* the line before p was empty */

	if (n > 0)
		p = body +
		    formail_content_end(s + body, len - body, cut, n, &empty);
	else if (cut) {
		/* the line that ended the header is not looked at */
		const char *nl = memchr(s + stop, '\n', len - stop);

		p = nl != NULL ? (size_t)(nl - s) + 1 : len;
		empty = false;
	} else {
		p = body;
		empty = true;
	}
	for (;;) {
		const char *nl;

		if (p >= len)
			return len;
		if ((sp->o.every || empty) &&
		    formail_message_starts(&sp->o, s + p, len - p))
			return p;
		nl = memchr(s + p, '\n', len - p);
		if (nl == NULL)
			return len;
		empty = nl == s + p;
		p = (size_t)(nl - s) + 1;
	}
}

int
formail_split_next(struct formail_split *sp, struct formail_part *part_r)
{
	size_t e;

	memset(part_r, 0, sizeof(*part_r));
	if (sp->o.babyl)
		return babyl_next(sp, part_r);
	if (sp->pos >= sp->len)
		return 0;
	e = mbox_message_end(sp, sp->pos);
	part_r->data = sp->s + sp->pos;
	part_r->len = e - sp->pos;
	sp->pos = e;
	return 1;
}

/* After the line at p (its newline included). */
static size_t
line_after(const char *s, size_t len, size_t p)
{
	const char *nl = memchr(s + p, '\n', len - p);

	return nl != NULL ? (size_t)(nl - s) + 1 : len;
}

/* Where the first message of a BABYL file starts: after the first line
   that is "\037\f" (as formail reads it: a character that does not fit
   ends the look at that line, and the rest of the line up to a newline
   is passed over, even when the misfit was the newline), after the
   attribute line that follows, after empty lines. len: none (where
   formail would wait for more input for ever). */
static size_t
babyl_first(const char *s, size_t len)
{
	static const char sep[] = "\037\f\n";
	size_t p = 0;

	for (;;) {
		size_t k = 0;

		while (k < 3 && p < len && s[p] == sep[k]) {
			p++;
			k++;
		}
		if (k == 3)
			break;
		if (p >= len)
			return len;
		p = line_after(s, len, p + 1); /* the misfit is read too */
	}
	p = line_after(s, len, p); /* the attribute line */
	while (p < len && s[p] == '\n')
		p++;
	return p;
}

/* The next message of a BABYL file, built in sp->buf. */
static int
babyl_next(struct formail_split *sp, struct formail_part *part_r)
{
	const char *s = sp->s;
	size_t len = sp->len, start, stop, q, r, c, hlen;
	const char *hdr;
	bool line_ends_header = false;

	if (!sp->started) {
		sp->pos = babyl_first(s, len);
		sp->started = true;
	}
	if (sp->pos >= len)
		return 0;
	start = sp->pos;
	stop = start + formail_header_len(s + start, len - start);
	hdr = s + start;
	hlen = stop - start;
	/* rmail keeps the From_ line as "Mail-from: From ..." */
	if (!sp->o.force && hlen >= 10 && memcmp(hdr, "Mail-from:", 10) == 0) {
		size_t k = 10;

		while (k < hlen && (hdr[k] == ' ' || hdr[k] == '\t'))
			k++;
		if (hlen - k >= 5 && memcmp(hdr + k, "From ", 5) == 0) {
			hdr += k;
			hlen -= k;
		}
	}
	str_truncate(&sp->buf, 0);
	str_append_n(&sp->buf, hdr, hlen);
	part_r->no_from_escape = true;
	part_r->cut = false;
	sp->pos = len;
	if (stop >= len)
		goto done; /* all header */
	if (s[stop] == '\n') {
		str_appendc(&sp->buf, '\n');
		q = stop + 1;
	} else {
		line_ends_header = true;
		q = line_after(s, len, stop);
	}
	/* the "*** EOOH ***" line and the visible header: passed over up
	   to the next empty line (taken as an empty line of the body),
	   looking at nothing */
	r = len;
	for (size_t j = q; j + 1 < len; j++)
		if (s[j] == '\n' && s[j + 1] == '\n') {
			r = j + 1;
			break;
		}
	if (line_ends_header && s[stop] == '\037') {
		c = stop; /* the message ends where it starts */
		sp->pos = r;
	} else {
		if (line_ends_header)
			str_append_n(&sp->buf, s + stop, q - stop);
		for (c = r; c < len && s[c] != '\037';)
			c = line_after(s, len, c);
		str_append_n(&sp->buf, s + r, c - r);
		if (c < len)
			sp->pos = line_after(s, len, c);
	}
	if (c < len) {
		/* what follows the \037 line goes nowhere, up to the next
		   start of a message */
		struct formail_split_opts o = sp->o;

		part_r->cut = true;
		o.every = o.digest = true;
		while (sp->pos < len &&
		       !formail_message_starts(&o, s + sp->pos, len - sp->pos))
			sp->pos = line_after(s, len, sp->pos);
	}
done:
	part_r->data = sp->buf.s;
	part_r->len = sp->buf.len;
	return 1;
}

void
formail_split_deinit(struct formail_split **sp)
{
	if (*sp != NULL)
		str_free(&(*sp)->buf);
	xfree(*sp);
}
