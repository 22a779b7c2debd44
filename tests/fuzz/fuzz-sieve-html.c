/*
 * fuzz-sieve-html.c - libFuzzer target: the HTML-to-text extraction of
 * the Sieve body test's :text on arbitrary bytes must end without
 * crashing and give a string no longer than a bounded multiple of the
 * input (an entity never yields more than four octets).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = sieve_html_text((const char *)data, size);

	if (strlen(text) > 2 * size + 4)
		abort();
	free(text);
	return 0;
}
