/*
 * fuzz-header-edit.c - editheader's editable header (lib/engine
 * header-edit.c) on arbitrary messages: without edits the message comes
 * back byte for byte; adding and deleting fields never breaks the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *msg = msg_new_copy(data, size);
	struct header_edit *he = header_edit_new(msg);
	struct msg *out = header_edit_message(he);
	size_t a, b, blen;
	const char *da = msg_data(msg, &a), *db = msg_data(out, &b);

	/* no edit: identical bytes whenever the message has a body */
	(void)msg_body(msg, &blen);
	if (blen > 0 && (a != b || memcmp(da, db, a) != 0))
		abort();
	msg_free(&out);
	header_edit_add(he, "X-Fuzz", (const char *)msg_data(msg, &a), false);
	header_edit_add(he, "X-Last", "value with \xc3\xa9", true);
	if (header_edit_count(he) > 1)
		header_edit_delete(he, header_edit_count(he) / 2);
	for (size_t i = 0; i < header_edit_count(he); i++)
		(void)header_edit_value(he, i);
	out = header_edit_message(he);
	msg_free(&out);
	header_edit_free(&he);
	msg_free(&msg);
	return 0;
}
