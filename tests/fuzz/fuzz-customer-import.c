/*
 * fuzz-customer-import.c - the CSV and vCard readers of `ackmail customer
 * import` on arbitrary bytes: no crash, and every record handed on has a
 * name or an address, with no empty address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_row(const struct support_import_row *row, void *context,
	  const char **error_r)
{
	(void)error_r;
	if (row->name == NULL && row->addresses.n == 0)
		abort();
	for (size_t i = 0; i < row->addresses.n; i++)
		if (row->addresses.v[i][0] == '\0')
			abort();
	(*(int *)context)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	const char *error = NULL;
	int rows = 0;

	if (support_import_csv(text, check_row, &rows, &error) < 0 ||
	    support_import_vcard(text, check_row, &rows, &error) < 0)
		abort();
	free(text);
	return 0;
}
