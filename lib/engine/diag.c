/*
 * diag.c - diagnostics of rule files: every error of one run, each as
 * file:line:col: error: reason.
 */
#include <stdlib.h>

#include "engine.h"

void
diag_add(struct diag *d, enum diag_level level, const char *file, int line,
	 int col, const char *fmt, ...)
{
	struct diag_item *it;
	va_list ap;

	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 8 : d->cap * 2;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	it = &d->v[d->n++];
	it->level = level;
	it->file = xstrdup(file != NULL ? file : "-");
	it->line = line;
	it->col = col;
	va_start(ap, fmt);
	it->text = xvasprintf(fmt, ap);
	va_end(ap);
	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void
diag_format(const struct diag *d, struct str *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->v[i];

		str_printf(
		    out, "%s:%d:%d: %s: %s\n", it->file, it->line, it->col,
		    it->level == DIAG_ERROR ? "error" : "warning", it->text);
	}
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].text);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	d->errors = d->warnings = 0;
}
