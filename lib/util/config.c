/*
 * config.c - the git-config style configuration file.
 *
 *   # comment
 *   [section]
 *   key = value        ; comment after whitespace
 *   [imap "support"]
 *   host = "imap.example.com"
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "config-schema.h"

struct config {
	char *path;
	struct config_entry *entries;
	size_t n, cap;
	struct strlist pool; /* owned strings */
};

struct config *
config_new_empty(void)
{
	return xcalloc(1, sizeof(struct config));
}

void
config_free(struct config **configp)
{
	struct config *config = *configp;

	if (config == NULL)
		return;
	strlist_free(&config->pool);
	free(config->entries);
	free(config->path);
	free(config);
	*configp = NULL;
}

static const char *
pool(struct config *config, const char *s)
{
	if (s == NULL)
		return NULL;
	strlist_add(&config->pool, s);
	return config->pool.v[config->pool.n - 1];
}

static void
add_entry(struct config *config, const char *section, const char *subsection,
	  const char *key, const char *value, int line)
{
	struct config_entry *e;

	if (config->n == config->cap) {
		config->cap = config->cap == 0 ? 32 : config->cap * 2;
		config->entries = xreallocarray(config->entries, config->cap,
						sizeof(*config->entries));
	}
	e = &config->entries[config->n++];
	e->section = section;
	e->subsection = subsection;
	e->key = key;
	e->value = value;
	e->file = config->path;
	e->line = line;
}

void
config_set(struct config *config, const char *section, const char *subsection,
	   const char *key, const char *value)
{
	char *s = str_lower(xstrdup(section)), *k = str_lower(xstrdup(key));

	add_entry(config, pool(config, s), pool(config, subsection),
		  pool(config, k), pool(config, value), 0);
	free(s);
	free(k);
}

/* Parses a value: strips comments outside quotes, handles "..." with
   \" \\ \n \t escapes, trims unquoted whitespace. */
static int
parse_value(const char *p, struct str *out, const char **error_r)
{
	bool quoted = false;
	size_t keep = 0; /* length up to the last significant char */

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p != '\0' && *p != '\n' && *p != '\r'; p++) {
		if (!quoted && (*p == '#' || *p == ';'))
			break;
		if (*p == '"') {
			quoted = !quoted;
			keep = out->len;
			continue;
		}
		if (*p == '\\' && quoted) {
			p++;
			switch (*p) {
			case 'n':
				str_appendc(out, '\n');
				break;
			case 't':
				str_appendc(out, '\t');
				break;
			case '"':
			case '\\':
				str_appendc(out, *p);
				break;
			default:
				*error_r = "unknown escape in quoted value";
				return -1;
			}
			keep = out->len;
			continue;
		}
		str_appendc(out, *p);
		if (quoted || (*p != ' ' && *p != '\t'))
			keep = out->len;
	}
	if (quoted) {
		*error_r = "unterminated quoted value";
		return -1;
	}
	if (out->s == NULL)
		str_append(out, "");
	str_truncate(out, keep);
	return 0;
}

static int
config_parse(struct config *config, char *text, char **error_r)
{
	char *line, *next;
	const char *section = NULL, *subsection = NULL;
	int lineno = 0;

	for (line = text; line != NULL; line = next) {
		char *p, *key_end, *name;
		const char *err = NULL;
		struct str value = STR_INIT;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#' || *p == ';' || *p == '\r')
			continue;
		if (*p == '[') {
			char *end = strchr(p, ']'), *q, *sub = NULL;

			if (end == NULL)
				goto bad_section;
			*end = '\0';
			q = p + 1;
			while (*q == ' ')
				q++;
			name = q;
			while (isalnum((unsigned char)*q) || *q == '-' ||
			       *q == '_' || *q == '.')
				q++;
			if (q == name)
				goto bad_section;
			if (*q == ' ') {
				*q++ = '\0';
				while (*q == ' ')
					q++;
				if (*q != '"' || strlen(q) < 2 ||
				    q[strlen(q) - 1] != '"')
					goto bad_section;
				q[strlen(q) - 1] = '\0';
				sub = q + 1;
			} else if (*q != '\0')
				goto bad_section;
			else
				*q = '\0';
			p = end + 1;
			while (*p == ' ' || *p == '\t' || *p == '\r')
				p++;
			if (*p != '\0' && *p != '#' && *p != ';')
				goto bad_section;
			section = pool(config, str_lower(name));
			subsection = pool(config, sub);
			continue;
		bad_section:
			*error_r = xasprintf("%s:%d: malformed section header",
					     config->path, lineno);
			return -1;
		}
		name = p;
		while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
			p++;
		key_end = p;
		while (*p == ' ' || *p == '\t')
			p++;
		if (key_end == name || *p != '=') {
			*error_r = xasprintf("%s:%d: expected 'key = value'",
					     config->path, lineno);
			return -1;
		}
		if (section == NULL) {
			*error_r = xasprintf("%s:%d: key outside of a section",
					     config->path, lineno);
			return -1;
		}
		*key_end = '\0';
		if (parse_value(p + 1, &value, &err) < 0) {
			*error_r =
			    xasprintf("%s:%d: %s", config->path, lineno, err);
			str_free(&value);
			return -1;
		}
		add_entry(config, section, subsection,
			  pool(config, str_lower(name)),
			  pool(config, str_c(&value)), lineno);
		str_free(&value);
	}
	return 0;
}

int
config_load(const char *path, struct config **config_r, char **error_r)
{
	struct config *config = config_new_empty();
	char *text;

	*config_r = NULL;
	if (path == NULL) {
		*config_r = config;
		return 0;
	}
	config->path = xstrdup(path);
	if (path_read_file(path, 1 << 20, &text, NULL) < 0) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		config_free(&config);
		return -1;
	}
	if (config_parse(config, text, error_r) < 0) {
		free(text);
		config_free(&config);
		return -1;
	}
	free(text);
	*config_r = config;
	return 0;
}

static const struct config_entry *
config_find(const struct config *config, const char *section,
	    const char *subsection, const char *key)
{
	if (config == NULL)
		return NULL;
	for (size_t i = config->n; i-- > 0;) {
		const struct config_entry *e = &config->entries[i];

		if (strcasecmp(e->section, section) != 0 ||
		    strcasecmp(e->key, key) != 0)
			continue;
		if ((subsection == NULL) != (e->subsection == NULL))
			continue;
		if (subsection != NULL &&
		    strcmp(subsection, e->subsection) != 0)
			continue;
		return e;
	}
	return NULL;
}

const char *
config_get(const struct config *config, const char *section,
	   const char *subsection, const char *key)
{
	const struct config_entry *e =
	    config_find(config, section, subsection, key);

	return e == NULL ? NULL : e->value;
}

const char *
config_get_default(const struct config *config, const char *section,
		   const char *key, const char *def)
{
	const char *v = config_get(config, section, NULL, key);

	return v == NULL ? def : v;
}

int
config_get_bool(const struct config *config, const char *section,
		const char *key, bool def, bool *value_r)
{
	const char *v = config_get(config, section, NULL, key);

	*value_r = def;
	if (v == NULL)
		return 1;
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0) {
		*value_r = true;
		return 0;
	}
	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0) {
		*value_r = false;
		return 0;
	}
	return -1;
}

int
config_get_long(const struct config *config, const char *section,
		const char *key, long def, long *value_r)
{
	const char *v = config_get(config, section, NULL, key);
	char *end;
	long n;

	*value_r = def;
	if (v == NULL)
		return 1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0')
		return -1;
	*value_r = n;
	return 0;
}

int
config_get_duration(const struct config *config, const char *section,
		    const char *key, long def, long *seconds_r)
{
	const char *v = config_get(config, section, NULL, key);

	*seconds_r = def;
	if (v == NULL)
		return 1;
	if (clock_parse_duration(v, seconds_r) < 0) {
		*seconds_r = def;
		return -1;
	}
	return 0;
}

int
config_next(const struct config *config, size_t *iter,
	    const struct config_entry **entry_r)
{
	if (config == NULL || *iter >= config->n)
		return 0;
	*entry_r = &config->entries[(*iter)++];
	return 1;
}

const char *
config_path(const struct config *config)
{
	return config == NULL ? NULL : config->path;
}

static const struct config_key *
schema_find(const char *section, const char *key)
{
	for (size_t i = 0; config_schema[i].section != NULL; i++)
		if (strcmp(config_schema[i].section, section) == 0 &&
		    strcmp(config_schema[i].key, key) == 0)
			return &config_schema[i];
	return NULL;
}

static bool
section_known(const char *section)
{
	for (size_t i = 0; config_schema[i].section != NULL; i++)
		if (strcmp(config_schema[i].section, section) == 0)
			return true;
	return false;
}

static const char *
check_type(const struct config_key *k, const char *v)
{
	long n;
	time_t t;

	switch (k->type) {
	case CONFIG_STRING:
		return NULL;
	case CONFIG_BOOL:
		if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "no") == 0 ||
		    strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0 ||
		    strcasecmp(v, "on") == 0 || strcasecmp(v, "off") == 0 ||
		    strcmp(v, "1") == 0 || strcmp(v, "0") == 0)
			return NULL;
		return "expected yes or no";
	case CONFIG_INT: {
		char *end;

		errno = 0;
		n = strtol(v, &end, 10);
		(void)n;
		if (errno != 0 || end == v || *end != '\0')
			return "expected a number";
		return NULL;
	}
	case CONFIG_DURATION:
		if (clock_parse_duration(v, &n) < 0)
			return "expected a duration such as 90s, 15m, 48h, 2d";
		return NULL;
	case CONFIG_TIME:
		if (clock_parse_iso8601(v, &t) < 0)
			return "expected a date such as 2026-12-01 09:00";
		return NULL;
	case CONFIG_ENUM: {
		struct strlist l = {0};
		bool ok;

		strlist_split(&l, k->values, "|");
		ok = strlist_contains_case(&l, v);
		strlist_free(&l);
		return ok ? NULL : k->values;
	}
	}
	return NULL;
}

int
config_validate(const struct config *config, struct str *errors)
{
	int problems = 0;

	for (size_t i = 0; config != NULL && i < config->n; i++) {
		const struct config_entry *e = &config->entries[i];
		const struct config_key *k;
		const char *why;

		if (e->line == 0)
			continue; /* set programmatically */
		if (!section_known(e->section)) {
			str_printf(errors, "%s:%d: unknown section [%s]\n",
				   e->file, e->line, e->section);
			problems++;
			continue;
		}
		if ((k = schema_find(e->section, e->key)) == NULL) {
			str_printf(errors, "%s:%d: unknown key '%s' in [%s]\n",
				   e->file, e->line, e->key, e->section);
			problems++;
			continue;
		}
		if (k->needs_subsection && e->subsection == NULL) {
			str_printf(errors,
				   "%s:%d: [%s] needs a name: [%s \"name\"]\n",
				   e->file, e->line, e->section, e->section);
			problems++;
			continue;
		}
		if ((why = check_type(k, e->value)) != NULL) {
			if (k->type == CONFIG_ENUM)
				str_printf(errors,
					   "%s:%d: %s: '%s' is not one of %s\n",
					   e->file, e->line, e->key, e->value,
					   why);
			else
				str_printf(errors, "%s:%d: %s: %s, not '%s'\n",
					   e->file, e->line, e->key, why,
					   e->value);
			problems++;
		}
	}
	return problems;
}
