/*
 * support-import.c - the customer register's import formats: CSV (RFC
 * 4180, a header row naming the columns) and vCard (2.1, 3.0, 4.0). Each
 * record becomes a struct support_import_row handed to a callback; phone
 * numbers are kept exactly as given.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support.h"

void
support_import_row_clear(struct support_import_row *row)
{
	free(row->name);
	free(row->company);
	free(row->notes);
	free(row->phones);
	strlist_free(&row->addresses);
	memset(row, 0, sizeof(*row));
}

void
support_phones_add(char **phones, const char *p)
{
	char *old = *phones;

	if (p == NULL || *p == '\0')
		return;
	*phones = old == NULL ? xstrdup(p) : xasprintf("%s\n%s", old, p);
	free(old);
}

static char *
steal_trim(struct str *s)
{
	char *p = str_steal(s);

	return str_trim(p != NULL ? p : xstrdup(""));
}

/* Splits one CSV record (RFC 4180: quotes, doubled quotes, newlines in
   quotes) from *pp. Returns false at the end. */
static bool
csv_record(const char **pp, struct strlist *fields)
{
	const char *p = *pp;
	struct str f = STR_INIT;
	bool quoted = false;

	if (*p == '\0')
		return false;
	for (;; p++) {
		char ch = *p;

		if (quoted) {
			if (ch == '\0') {
				break;
			} else if (ch == '"' && p[1] == '"') {
				str_appendc(&f, '"');
				p++;
			} else if (ch == '"')
				quoted = false;
			else
				str_appendc(&f, ch);
			continue;
		}
		if (ch == '"' && f.len == 0) {
			quoted = true;
		} else if (ch == ',' || ch == '\n' || ch == '\0') {
			strlist_add_owned(fields, steal_trim(&f));
			if (ch == '\n' || ch == '\0')
				break;
		} else if (ch != '\r') {
			str_appendc(&f, ch);
		}
	}
	if (quoted)
		strlist_add_owned(fields, steal_trim(&f));
	str_free(&f);
	*pp = *p == '\0' ? p : p + 1;
	return true;
}

/* One CSV field into the row, by its (lower-cased) column name. */
static void
csv_field(struct support_import_row *row, const char *h, const char *v)
{
	if (strcmp(h, "name") == 0 || strcmp(h, "full name") == 0) {
		free(row->name);
		row->name = xstrdup(v);
	} else if (strcmp(h, "company") == 0 ||
		   strcmp(h, "organization") == 0 || strcmp(h, "org") == 0) {
		free(row->company);
		row->company = xstrdup(v);
	} else if (strstr(h, "mail") != NULL || strncmp(h, "address", 7) == 0)
		strlist_split(&row->addresses, v, " ;|");
	else if (strncmp(h, "domain", 6) == 0) {
		struct strlist d = {0};

		strlist_split(&d, v, " ;|");
		for (size_t k = 0; k < d.n; k++)
			strlist_add_owned(&row->addresses,
					  d.v[k][0] == '@'
					      ? xstrdup(d.v[k])
					      : xasprintf("@%s", d.v[k]));
		strlist_free(&d);
	} else if (strstr(h, "phone") != NULL || strstr(h, "mobile") != NULL ||
		   strcmp(h, "tel") == 0)
		support_phones_add(&row->phones, v);
	else if (strcmp(h, "notes") == 0 || strcmp(h, "note") == 0) {
		free(row->notes);
		row->notes = xstrdup(v);
	} else if (strcmp(h, "vip") == 0)
		row->vip = strchr("1yYtTxX", v[0]) != NULL;
}

int
support_import_csv(const char *text, support_import_cb *cb, void *context,
		   const char **error_r)
{
	struct strlist head = {0};
	const char *p = text;
	int r = 0;

	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (!csv_record(&p, &head))
		return 0;
	for (size_t i = 0; i < head.n; i++)
		str_lower(head.v[i]);
	for (;;) {
		struct strlist f = {0};
		struct support_import_row row;

		if (!csv_record(&p, &f))
			break;
		memset(&row, 0, sizeof(row));
		for (size_t i = 0; i < f.n && i < head.n; i++)
			if (f.v[i][0] != '\0')
				csv_field(&row, head.v[i], f.v[i]);
		strlist_free(&f);
		if (row.name != NULL || row.addresses.n > 0)
			r = cb(&row, context, error_r);
		support_import_row_clear(&row);
		if (r < 0)
			break;
	}
	strlist_free(&head);
	return r;
}

/* vCard value unescaping: \n \, \; \\ */
static char *
vcard_value(const char *v)
{
	struct str out = STR_INIT;

	for (; *v != '\0'; v++) {
		if (*v == '\\' && v[1] != '\0') {
			v++;
			str_appendc(&out, *v == 'n' || *v == 'N' ? '\n' : *v);
		} else
			str_appendc(&out, *v);
	}
	return steal_trim(&out);
}

/* "Family;Given;Additional;..." -> "Given Family" */
static char *
vcard_n_name(char *val)
{
	char *semi = strchr(val, ';');

	if (semi == NULL)
		return xstrdup(val);
	*semi = '\0';
	semi[1 + strcspn(semi + 1, ";")] = '\0';
	return str_trim(xasprintf("%s %s", semi + 1, val));
}

int
support_import_vcard(const char *text, support_import_cb *cb, void *context,
		     const char **error_r)
{
	struct str unfolded = STR_INIT;
	struct strlist lines = {0};
	struct support_import_row row;
	char *n_name = NULL;
	int r = 0;

	/* unfold: CRLF or LF followed by a space or tab */
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' && (p[1] == ' ' || p[1] == '\t')) {
			p++;
			continue;
		}
		str_appendc(&unfolded, *p);
	}
	strlist_split(&lines, str_c(&unfolded), "\n");
	str_free(&unfolded);
	memset(&row, 0, sizeof(row));
	for (size_t i = 0; i < lines.n && r >= 0; i++) {
		char *l = lines.v[i], *colon = strchr(l, ':'), *name, *dot;
		char *val;

		if (colon == NULL)
			continue;
		*colon = '\0';
		name = l;
		/* group prefix: "item1.EMAIL" */
		if ((dot = strchr(name, '.')) != NULL)
			name = dot + 1;
		val = vcard_value(colon + 1);
		name[strcspn(name, ";")] = '\0';
		if (strcasecmp(name, "BEGIN") == 0) {
			support_import_row_clear(&row);
			xfree(n_name);
		} else if (strcasecmp(name, "END") == 0) {
			if (row.name == NULL && n_name != NULL)
				row.name = xstrdup(n_name);
			if (row.name != NULL || row.addresses.n > 0)
				r = cb(&row, context, error_r);
			support_import_row_clear(&row);
			xfree(n_name);
		} else if (strcasecmp(name, "FN") == 0) {
			free(row.name);
			row.name = xstrdup(val);
		} else if (strcasecmp(name, "N") == 0 && n_name == NULL) {
			n_name = vcard_n_name(val);
		} else if (strcasecmp(name, "ORG") == 0) {
			val[strcspn(val, ";")] = '\0';
			free(row.company);
			row.company = xstrdup(val);
		} else if (strcasecmp(name, "EMAIL") == 0) {
			if (*val != '\0')
				strlist_add(&row.addresses, val);
		} else if (strcasecmp(name, "TEL") == 0) {
			/* kept exactly as given (tel: URIs unwrapped) */
			support_phones_add(
			    &row.phones,
			    str_has_prefix_case(val, "tel:") ? val + 4 : val);
		} else if (strcasecmp(name, "NOTE") == 0) {
			free(row.notes);
			row.notes = xstrdup(val);
		}
		free(val);
	}
	support_import_row_clear(&row);
	free(n_name);
	strlist_free(&lines);
	return r;
}
