/*
 * fuzz-classify.c - the classifier and the new-text extraction on
 * arbitrary bytes: every rule table, report parsing, quote stripping.
 */
#include <stdint.h>
#include <stdlib.h>

#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
ours(const char *id, void *ctx)
{
	(void)ctx;
	return id[0] == 'a';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strlist our;
	struct msg_classify_settings set = {
	    .loop_header = "X-Ackmail-Loop",
	    .our_addresses = &our,
	    .is_our_message_id = ours,
	};
	struct msg *msg = msg_new_copy(data, size);
	char *s;

	if (our.n == 0)
		strlist_add(&our, "support@example.com");
	if (size > 0 && data[0] == 'E')
		msg_set_envelope(msg, "", "support@example.com");
	(void)msg_classify(msg, &set);
	s = msg_text_new(msg);
	free(s);
	msg_free(&msg);
	return 0;
}
