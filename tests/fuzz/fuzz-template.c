/*
 * fuzz-template.c - the template renderer on arbitrary text and values:
 * no crash, and no control character from a value ever reaches the
 * subject.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support-ack.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first line is a variable value, the rest the template */
	const uint8_t *nl = memchr(data, '\n', size);
	size_t vlen = nl != NULL ? (size_t)(nl - data) : 0;
	char *value = xstrndup((const char *)data, vlen);
	const char *text = (const char *)data + (nl != NULL ? vlen + 1 : 0);
	size_t tlen = size - (nl != NULL ? vlen + 1 : 0);
	char *t = xstrndup(text, tlen);
	struct tmpl_var vars[] = {
	    {"subject", value, false},
	    {"customer_name", "Jürgen\r\nBcc: x", false},
	    {"issue", "1234", false},
	    {"body", value, true},
	};
	char *subject = NULL, *body = NULL, *err = NULL;

	for (int strict = 0; strict < 2; strict++) {
		if (tmpl_render(t, strlen(t), vars, N_ELEMENTS(vars),
				strict != 0, &subject, &body, &err) == 0 &&
		    subject != NULL)
			for (const char *p = subject; *p != '\0'; p++)
				if ((unsigned char)*p < 0x20)
					abort();
		free(subject);
		free(body);
		free(err);
		subject = body = err = NULL;
	}
	{
		char *c = ack_subject_clean(value);

		for (const char *p = c; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20)
				abort();
		free(c);
	}
	free(value);
	free(t);
	return 0;
}
