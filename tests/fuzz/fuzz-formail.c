/*
 * fuzz-formail.c - lib/formail on arbitrary bytes: the first byte picks
 * the split options (-e -d -B -f, -m 0-7, Content-Length used or not),
 * the rest is the mailbox. The
 * mailbox is split as formail -s splits it and every message is taken
 * apart; checked: the messages of a mailbox cover it in order, every
 * field ends in a newline with its colon after its name, the body lies
 * at the end of its message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_message(const char *s, size_t len)
{
	static const char *const names[] = {"From", "Subject", "Message-ID",
					    "Return-Path", "Reply-To"};
	struct formail_msg m;

	formail_msg_parse(s, len, &m);
	if (m.body < s || m.body + m.body_len != s + len)
		abort();
	for (long n = 1; n < 64; n *= 3) {
		bool empty;

		if (formail_content_end(m.body, m.body_len, m.header_cut, n,
					&empty) > m.body_len)
			abort();
	}
	if (m.from_line != NULL && (len < 5 || memcmp(s, "From ", 5) != 0))
		abort();
	for (size_t i = 0; i < m.n; i++) {
		const struct formail_field *f = &m.f[i];
		if (f->name_len == 0 || f->len <= f->name_len ||
		    f->text[f->name_len] != ':' || f->text[0] == '\0')
			abort();
		if (f->text[f->len - 1] != '\n' || f->text[f->len] != '\0')
			abort();
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char *v = formail_msg_get(&m, names[k]);
		char *raw = formail_msg_get_last(&m, names[k]);

		if (v == NULL && raw != NULL)
			abort();
		free(v);
		free(raw);
	}
	for (int mode = FORMAIL_SENDER_ENVELOPE; mode <= FORMAIL_SENDER_RESENT;
	     mode++) {
		char *a = formail_sender(&m, (enum formail_sender_mode)mode);

		if (a != NULL && a[0] == '\0')
			abort(); /* an empty address is nobody */
		free(a);
	}
	formail_msg_free(&m);
}

/* The Content-Length of the message s, as the driver reads it (without
   its options). */
static long
body_length(const char *s, size_t len, void *ctx)
{
	struct formail_msg m;
	char *v;
	long n = 0;

	(void)ctx;
	formail_msg_parse(s, len, &m);
	v = formail_msg_get(&m, "Content-Length");
	if (v != NULL)
		n = strtol(v, NULL, 10);
	free(v);
	formail_msg_free(&m);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formail_split_opts o = {0};
	struct formail_split *sp;
	struct formail_part part;
	const char *s = (const char *)data + 1, *next;

	if (size == 0)
		return 0;
	o.every = data[0] & 1;
	o.digest = data[0] & 2;
	o.babyl = data[0] & 4;
	o.force = data[0] & 8;
	o.min_fields = (data[0] >> 4) & 7;
	if (data[0] & 0x80)
		o.body_length = body_length;
	size--;
	next = s;
	while (next < s + size && *next == '\n')
		next++; /* passed over before the first message */
	sp = formail_split_init(s, size, &o);
	while (formail_split_next(sp, &part) > 0) {
		if (!o.babyl) {
			/* the messages of a mailbox follow one another */
			if (part.data != next || part.len == 0)
				abort();
			next = part.data + part.len;
		}
		check_message(part.data, part.len);
	}
	if (!o.babyl && next != s + size)
		abort();
	formail_split_deinit(&sp);
	return 0;
}
