/*
 * fuzz-imap-utf7.c - mailbox names from an IMAP server (LIST answers):
 * the modified UTF-7 decoder never crashes, and whatever it accepts
 * encodes back to exactly the same bytes (one spelling per name); any
 * UTF-8 the encoder accepts decodes back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xstrndup((const char *)data, size);
	char *dec = NULL, *enc = NULL;
	const char *err = NULL;

	if (imap_utf7_decode(in, &dec, &err) == 0) {
		if (imap_utf7_encode(dec, &enc, &err) != 0 ||
		    strcmp(enc, in) != 0)
			abort();
		xfree(enc);
		xfree(dec);
	} else if (err == NULL) {
		abort();
	}
	/* the same bytes taken as a UTF-8 folder name from a rule */
	err = NULL;
	if (imap_utf7_encode(in, &enc, &err) == 0) {
		if (imap_utf7_decode(enc, &dec, &err) != 0 ||
		    strcmp(dec, in) != 0)
			abort();
		free(dec);
		free(enc);
	} else if (err == NULL) {
		abort();
	}
	free(in);
	return 0;
}
