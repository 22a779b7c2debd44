/*
 * unit.h - what every cmocka unit test includes. Cases live in tables;
 * every assertion names the row (use ROW_MSG).
 */
#ifndef ACKMAIL_UNIT_H
#define ACKMAIL_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* The shared corpus, relative to the project root (tests run there). */
#define CORPUS_DIR "../shared/corpus"

/* assert_string_equal with the table row in the failure message. */
#define assert_row_str(row, a, b)                                              \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)           \
			fail_msg("row %zu: \"%s\" != \"%s\"", (size_t)(row),   \
				 a_ ? a_ : "(null)", b_ ? b_ : "(null)");      \
	} while (0)
#define assert_row_int(row, a, b)                                              \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			fail_msg("row %zu: %lld != %lld (%s)", (size_t)(row),  \
				 a_, b_, #a);                                  \
	} while (0)

#endif
