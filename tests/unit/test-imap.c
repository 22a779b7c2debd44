/*
 * test-imap.c - the pure parts of the IMAP client in lib/transport:
 * modified UTF-7 mailbox names (RFC 3501 5.1.3) both ways with the
 * refusals of the strict decoder (imap-utf7.c), and the adaptive fetch
 * batch (imap-batch.c).
 */
#include "unit.h"
#include "util.h"
#include "transport.h"

/* UTF-8 <-> modified UTF-7, each row tried in both directions */
static const struct {
	const char *utf8, *mutf7;
} pairs[] = {
    {"", ""},
    {"INBOX", "INBOX"},
    {"Support/Acme", "Support/Acme"},
    {"&", "&-"},
    {"R&D", "R&-D"},
    {"&&", "&-&-"},
    {"Support/Grüße", "Support/Gr&APwA3w-e"},
    {"Grüße & Co", "Gr&APwA3w-e &- Co"},
    {"ü", "&APw-"},
    {"日本語", "&ZeVnLIqe-"},
    /* RFC 3501's own example */
    {"~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
    /* outside the BMP: a surrogate pair */
    {"\xf0\x9f\x98\x80", "&2D3eAA-"},
    {"a\xf0\x9f\x98\x80z", "a&2D3eAA-z"},
    /* a control character and DEL are encoded too */
    {"a\tb", "a&AAk-b"},
    {"\x7f", "&AH8-"},
    /* "/" in the base64 alphabet is written "," */
    {"\xef\xbf\xbf", "&,,8-"},
};

static void
test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(pairs); i++) {
		char *out = NULL;
		const char *error = NULL;

		assert_row_int(i, imap_utf7_encode(pairs[i].utf8, &out, &error),
			       0);
		assert_row_str(i, out, pairs[i].mutf7);
		free(out);
		assert_row_int(
		    i, imap_utf7_decode(pairs[i].mutf7, &out, &error), 0);
		assert_row_str(i, out, pairs[i].utf8);
		free(out);
	}
}

/* what the decoder refuses (a server's odd LIST answer) */
static const char *const bad_mutf7[] = {
    "&",	  /* not ended */
    "a&APw",	  /* not ended */
    "&APw",	  /* not ended */
    "&-&",	  /* the second one not ended */
    "&APw.",	  /* "." is not base64 and not "-" */
    "&AGE-",	  /* "a" must be written directly */
    "&ACY-",	  /* "&" must be written "&-" */
    "&AAA-",	  /* NUL */
    "&APw-&AN8-", /* two runs side by side */
    "&APx-",	  /* stray bits at the end */
    "&APwA-",	  /* a partial 16-bit unit */
    "&2D0-",	  /* a lone high surrogate */
    "&3gA-",	  /* a lone low surrogate */
    "&2D3YPQ-",	  /* high surrogate followed by another high one */
    "Gr\xc3\xbc\xc3\x9f"
    "e",    /* raw 8-bit: must be encoded */
    "a\tb", /* raw control character */
    "&/w-", /* "/" is not in the modified alphabet */
    "&-",   /* fine: see below, kept last */
};

static void
test_decode_refuses(void **state)
{
	(void)state;
	for (size_t i = 0; i + 1 < N_ELEMENTS(bad_mutf7); i++) {
		char *out = NULL;
		const char *error = NULL;

		assert_row_int(i, imap_utf7_decode(bad_mutf7[i], &out, &error),
			       -1);
		assert_row_int(i, out == NULL, 1);
		assert_row_int(i, error != NULL, 1);
	}
}

/* what the encoder refuses: names that are not UTF-8 */
static const char *const bad_utf8[] = {
    "\xff",
    "Gr\xfc\xdf"
    "e",		/* Latin-1 */
    "\xc3",		/* truncated */
    "\xc0\xaf",		/* overlong "/" */
    "\xed\xa0\x80",	/* an encoded surrogate */
    "\xf4\x90\x80\x80", /* past U+10FFFF */
    "\xe2\x82",		/* truncated three-byte form */
};

static void
test_encode_refuses(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(bad_utf8); i++) {
		char *out = NULL;
		const char *error = NULL;

		assert_row_int(i, imap_utf7_encode(bad_utf8[i], &out, &error),
			       -1);
		assert_row_int(i, out == NULL, 1);
		assert_row_int(i, error != NULL, 1);
	}
}

/* every BMP character (surrogates aside) and a sample beyond survives
   encode -> decode */
static void
test_all_code_points(void **state)
{
	(void)state;
	for (unsigned long c = 1; c <= 0x10ffff; c += c < 0x10000 ? 1 : 97) {
		struct str in = STR_INIT;
		char *enc = NULL, *dec = NULL;
		const char *error = NULL;
		char buf[5] = {0};

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		if (c < 0x80) {
			buf[0] = (char)c;
		} else if (c < 0x800) {
			buf[0] = (char)(0xc0 | (c >> 6));
			buf[1] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			buf[0] = (char)(0xe0 | (c >> 12));
			buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[2] = (char)(0x80 | (c & 0x3f));
		} else {
			buf[0] = (char)(0xf0 | (c >> 18));
			buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[3] = (char)(0x80 | (c & 0x3f));
		}
		str_init(&in);
		str_append(&in, "x");
		str_append(&in, buf);
		str_append(&in, buf);
		assert_row_int(c, imap_utf7_encode(str_c(&in), &enc, &error),
			       0);
		assert_row_int(c, imap_utf7_decode(enc, &dec, &error), 0);
		assert_row_str(c, dec, str_c(&in));
		free(enc);
		free(dec);
		str_free(&in);
	}
}

/* the batch size through a sequence of fetches: 'F' failed, 'G' good;
   the expected size after each step */
static const struct {
	long max, start;
	const char *events;
	long sizes[16];
} batch_rows[] = {
    /* one failure alone does not shrink; two in a row halve */
    {50, 0, "F", {50}},
    {50, 0, "FF", {50, 25}},
    {50, 0, "FGF", {50, 50, 50}},
    /* down to 1 and no further */
    {50, 0, "FFFFFFFFFFFFFF", {50, 25, 25, 12, 12, 6, 6, 3, 3, 1, 1, 1, 1, 1}},
    /* four good fetches in a row double it, up to the maximum */
    {50, 1, "GGGGGGGGGGGG", {1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 8}},
    {10, 8, "GGGG", {8, 8, 8, 10}},
    /* a failure resets the run of good fetches */
    {50, 4, "GGGFGGGG", {4, 4, 4, 4, 4, 4, 4, 8}},
    /* a stored size above a lowered maximum is clamped */
    {5, 40, "G", {5}},
    {1, 0, "FFFGGGG", {1, 1, 1, 1, 1, 1, 1}},
};

static void
test_batch(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(batch_rows); i++) {
		struct imap_batch b;
		size_t k = 0;

		imap_batch_init(&b, batch_rows[i].max, batch_rows[i].start, 0,
				0);
		for (const char *e = batch_rows[i].events; *e != '\0';
		     e++, k++) {
			long before = b.size;
			bool changed = *e == 'F' ? imap_batch_failed(&b)
						 : imap_batch_succeeded(&b);

			assert_row_int(i * 100 + k, b.size,
				       batch_rows[i].sizes[k]);
			assert_row_int(i * 100 + k, changed, before != b.size);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_decode_refuses),
	    cmocka_unit_test(test_encode_refuses),
	    cmocka_unit_test(test_all_code_points),
	    cmocka_unit_test(test_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
