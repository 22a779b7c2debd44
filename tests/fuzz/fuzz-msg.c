/*
 * fuzz-msg.c - the message parse path: headers, addresses, MIME parts,
 * text, thread keys, on arbitrary bytes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *msg = msg_new_copy(data, size);
	struct msg_addrlist al = {0};
	struct strlist refs = {0};
	char *s;

	for (size_t i = 0; i < msg_header_count(msg); i++) {
		s = msg_header_value(msg, i, true);
		msg_addr_parse(s, &al);
		free(s);
	}
	msg_addrlist_free(&al);
	msg_thread_refs(msg, &refs);
	strlist_free(&refs);
	(void)msg_message_id(msg);
	s = msg_subject_normalize(msg_subject(msg));
	free(s);
	(void)msg_parts(msg);
	(void)msg_text(msg);
	msg_free(&msg);
	return 0;
}
