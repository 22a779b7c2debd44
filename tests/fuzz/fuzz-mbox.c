/*
 * fuzz-mbox.c - the mbox writer on arbitrary message bytes: appending a
 * message and reading the mbox back (split at "From " lines, one ">"
 * removed from ^>+From ) gives the message again, with a final newline
 * added when it had none.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver.h"
#include "msg.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *mbox_path;

static void
mbox_cleanup(void)
{
	(void)unlink(mbox_path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *msg = msg_new_copy(data, size);
	const char *err = NULL, *d;
	size_t dlen, len;
	char *buf = NULL;
	struct str back = STR_INIT, want = STR_INIT;
	const char *p, *end, *nl;
	int lines_from = 0;

	if (mbox_path == NULL) {
		mbox_path =
		    xasprintf("/dev/shm/ackmail-fuzz-mbox.%ld", (long)getpid());
		atexit(mbox_cleanup);
	}
	(void)unlink(mbox_path);
	msg_set_envelope(msg, "fuzz@example.org", NULL);
	if (mbox_deliver(mbox_path, msg, 5, &err) < 0)
		abort();
	if (path_read_file(mbox_path, (size_t)1 << 30, &buf, &len) < 0)
		abort();
	/* read back: the first line is the separator, every later line
	   starting with "From " would be one too */
	p = buf;
	end = buf + len;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			abort(); /* an mbox always ends in a newline */
		if ((size_t)(end - p) >= 5 && memcmp(p, "From ", 5) == 0) {
			lines_from++;
			continue;
		}
		if (*p == '>') {
			const char *q = p;

			while (q < nl && *q == '>')
				q++;
			if (nl - q >= 5 && memcmp(q, "From ", 5) == 0)
				p++;
		}
		str_append_n(&back, p, (size_t)(nl + 1 - p));
	}
	if (lines_from != 1)
		abort();
	/* the blank line after the message */
	if (back.len == 0 || back.s[back.len - 1] != '\n')
		abort();
	back.len--;
	d = msg_data(msg, &dlen);
	str_append_n(&want, d, dlen);
	if (dlen > 0 && d[dlen - 1] != '\n')
		str_appendc(&want, '\n');
	if (back.len != want.len || memcmp(back.s, want.s, want.len) != 0)
		abort();
	str_free(&back);
	str_free(&want);
	free(buf);
	msg_free(&msg);
	return 0;
}
