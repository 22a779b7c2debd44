/*
 * sieve-ext.c - the require registry: the core language and one row per
 * extension. Adding an extension is one new ext-<name>.c file that
 * defines a struct sieve_extension, plus one row in extensions[] below.
 */
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

/* The core language (cmd-control.c, cmd-actions.c, tst-core.c). */
extern const struct sieve_cmd_def *const sieve_core_defs[];

extern const struct sieve_extension sieve_ext_fileinto;
extern const struct sieve_extension sieve_ext_envelope;
extern const struct sieve_extension sieve_ext_encoded_character;
extern const struct sieve_extension sieve_ext_variables;
extern const struct sieve_extension sieve_ext_vacation;
extern const struct sieve_extension sieve_ext_vacation_seconds;
extern const struct sieve_extension sieve_ext_copy;
extern const struct sieve_extension sieve_ext_imap4flags;
extern const struct sieve_extension sieve_ext_imapflags;
extern const struct sieve_extension sieve_ext_regex;
extern const struct sieve_extension sieve_ext_relational;
extern const struct sieve_extension sieve_ext_numeric;
extern const struct sieve_extension sieve_ext_subaddress;
extern const struct sieve_extension sieve_ext_date;
extern const struct sieve_extension sieve_ext_index;
extern const struct sieve_extension sieve_ext_body;
extern const struct sieve_extension sieve_ext_reject;
extern const struct sieve_extension sieve_ext_ereject;
extern const struct sieve_extension sieve_ext_include;
extern const struct sieve_extension sieve_ext_mailbox;
extern const struct sieve_extension sieve_ext_editheader;
extern const struct sieve_extension sieve_ext_environment;
extern const struct sieve_extension sieve_ext_ihave;
extern const struct sieve_extension sieve_ext_duplicate;
extern const struct sieve_extension sieve_ext_testsuite;
extern const struct sieve_extension sieve_ext_vnd_ackmail;

static const struct sieve_extension *const extensions[] = {
    &sieve_ext_fileinto,
    &sieve_ext_envelope,
    &sieve_ext_encoded_character,
    &sieve_ext_variables,
    &sieve_ext_vacation,
    &sieve_ext_vacation_seconds,
    &sieve_ext_copy,
    &sieve_ext_imap4flags,
    &sieve_ext_imapflags,
    &sieve_ext_regex,
    &sieve_ext_relational,
    &sieve_ext_numeric,
    &sieve_ext_subaddress,
    &sieve_ext_date,
    &sieve_ext_index,
    &sieve_ext_body,
    &sieve_ext_reject,
    &sieve_ext_ereject,
    &sieve_ext_include,
    &sieve_ext_mailbox,
    &sieve_ext_editheader,
    &sieve_ext_environment,
    &sieve_ext_ihave,
    &sieve_ext_duplicate,
    &sieve_ext_testsuite,
    &sieve_ext_vnd_ackmail,
};

/* Tagged arguments shared by every test that compares strings. */
const struct sieve_tag_def sieve_tags_match[] = {
    {"comparator", NULL, SLOT_COMPARATOR, 'S', 0},
    {"is", NULL, SLOT_MATCH, 0, MATCH_IS},
    {"contains", NULL, SLOT_MATCH, 0, MATCH_CONTAINS},
    {"matches", NULL, SLOT_MATCH, 0, MATCH_MATCHES},
    {"regex", "regex", SLOT_MATCH, 0, MATCH_REGEX},
    {"value", "relational", SLOT_MATCH, 'S', MATCH_VALUE},
    {"count", "relational", SLOT_MATCH, 'S', MATCH_COUNT},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

const struct sieve_tag_def sieve_tags_addrpart[] = {
    {"all", NULL, SLOT_ADDRPART, 0, MATCH_ADDR_ALL},
    {"localpart", NULL, SLOT_ADDRPART, 0, MATCH_ADDR_LOCALPART},
    {"domain", NULL, SLOT_ADDRPART, 0, MATCH_ADDR_DOMAIN},
    {"user", "subaddress", SLOT_ADDRPART, 0, MATCH_ADDR_USER},
    {"detail", "subaddress", SLOT_ADDRPART, 0, MATCH_ADDR_DETAIL},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

/* RFC 5260 section 6: header, address and date take :index / :last. */
const struct sieve_tag_def sieve_tags_index[] = {
    {"index", "index", SLOT_INDEX, 'N', 0},
    {"last", "index", SLOT_LAST, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

const struct sieve_extension *
sieve_ext_find(const char *name)
{
	for (size_t i = 0; i < N_ELEMENTS(extensions); i++)
		if (strcasecmp(extensions[i]->name, name) == 0)
			return extensions[i];
	return NULL;
}

static const struct sieve_cmd_def *
find_in(const struct sieve_cmd_def *const *defs, const char *name,
	enum sieve_def_kind kind)
{
	for (size_t i = 0; defs != NULL && defs[i] != NULL; i++)
		if (defs[i]->kind == kind &&
		    strcasecmp(defs[i]->name, name) == 0)
			return defs[i];
	return NULL;
}

const struct sieve_cmd_def *
sieve_def_find(const char *name, enum sieve_def_kind kind, const char **ext_r)
{
	const struct sieve_cmd_def *d = find_in(sieve_core_defs, name, kind);

	if (ext_r != NULL)
		*ext_r = NULL;
	if (d != NULL)
		return d;
	for (size_t i = 0; i < N_ELEMENTS(extensions); i++) {
		d = find_in(extensions[i]->defs, name, kind);
		if (d != NULL) {
			if (ext_r != NULL)
				*ext_r = extensions[i]->name;
			return d;
		}
	}
	return NULL;
}

static const struct sieve_tag_def *
tag_in(const struct sieve_tag_def *t, const char *tag)
{
	for (; t != NULL && t->name != NULL; t++)
		if (strcasecmp(t->name, tag) == 0)
			return t;
	return NULL;
}

const struct sieve_tag_def *
sieve_tag_find(const struct sieve_cmd_def *def, const char *tag,
	       const char **ext_r)
{
	const struct sieve_tag_def *t;

	for (size_t i = 0; def->tags != NULL && def->tags[i] != NULL; i++)
		if ((t = tag_in(def->tags[i], tag)) != NULL) {
			if (ext_r != NULL)
				*ext_r = t->ext;
			return t;
		}
	for (size_t i = 0; i < N_ELEMENTS(extensions); i++) {
		const struct sieve_tag_addition *add =
		    extensions[i]->tag_additions;

		for (; add != NULL && add->command != NULL; add++) {
			if (strcasecmp(add->command, def->name) != 0)
				continue;
			if ((t = tag_in(add->tags, tag)) != NULL) {
				if (ext_r != NULL)
					*ext_r = t->ext;
				return t;
			}
		}
	}
	return NULL;
}
