/*
 * pipeline-support.c - the support core's part of the per-message
 * pipeline (lib/support): analyze before the rules, turn the rules'
 * support actions into a plan, record inside the delivery transaction.
 * With no [support] address nothing here runs and deliver is a plain LDA.
 *
 * With no rule file (or one that does not compile) the shipped standard
 * flow runs: rules/default.sieve, from the source tree when this binary
 * was built there (filter/ackmail, build/asan/ackmail), else as installed
 * (DATADIR/rules/default.sieve), else the copy built into the binary. A missing
 * or broken file never loses mail and never skips the support work.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"
#include "sieve.h"
#include "store.h"
#include "support.h"

/* rules/default.sieve as it was at build time, NUL-terminated (the
   Makefile rebuilds this object when the file changes). */
__asm__(".pushsection .rodata\n"
	".global pipeline_default_sieve\n"
	".type pipeline_default_sieve, @object\n"
	"pipeline_default_sieve:\n"
	".incbin \"rules/default.sieve\"\n"
	".byte 0\n"
	".size pipeline_default_sieve, . - pipeline_default_sieve\n"
	".popsection\n");
extern const char pipeline_default_sieve[];

#define DEFAULT_RULES_BUILTIN "(built-in rules/default.sieve)"

/* rules/default.sieve of the source tree this binary was built in, or
   NULL: the first of the binary's parent directories (up to three: it
   is filter/ackmail, or build/asan/ackmail) that has filter/main.c. */
static char *
source_tree_rules(void)
{
	char exe[PATH_MAX], real[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		if ((slash = strrchr(exe, '/')) == NULL || slash == exe)
			return NULL;
		*slash = '\0';
		if (up == 0)
			continue; /* the binary's own directory */
		path = xasprintf("%s/filter/main.c", exe);
		if (access(path, R_OK) < 0) {
			free(path);
			continue;
		}
		free(path);
		path = xasprintf("%s/rules/default.sieve", exe);
		if (realpath(path, real) != NULL && access(real, R_OK) == 0) {
			free(path);
			return xstrdup(real);
		}
		free(path);
		return NULL;
	}
	return NULL;
}

int
pipeline_support_default_rules(const struct config *config,
			       struct rule_program **prog_r, char **from_r)
{
	const char *installed = ACKMAIL_DATADIR "/rules/default.sieve";
	char *paths[2] = {source_tree_rules(), NULL};
	struct diag diag = {0};
	int r = -1;

	*prog_r = NULL;
	*from_r = NULL;
	if (access(installed, R_OK) == 0)
		paths[1] = xstrdup(installed);
	for (size_t i = 0; i < 2 && r < 0; i++) {
		if (paths[i] == NULL)
			continue;
		r = sieve_lang.compile(paths[i], config, prog_r, &diag);
		if (r < 0) {
			struct str s = STR_INIT;

			diag_format(&diag, &s);
			log_warnx("the standard rules %s do not compile, using "
				  "%s:\n%s",
				  paths[i],
				  i == 0 && paths[1] != NULL
				      ? paths[1]
				      : "the built-in copy",
				  str_c(&s));
			str_free(&s);
			*prog_r = NULL;
		} else
			*from_r = xstrdup(paths[i]);
		diag_free(&diag);
		memset(&diag, 0, sizeof(diag));
	}
	free(paths[0]);
	free(paths[1]);
	if (r == 0)
		return 0;
	r = sieve_compile_text(DEFAULT_RULES_BUILTIN, pipeline_default_sieve,
			       strlen(pipeline_default_sieve), config, prog_r,
			       &diag);
	diag_free(&diag);
	if (r < 0) {
		*prog_r = NULL;
		return -1;
	}
	*from_r = xstrdup(DEFAULT_RULES_BUILTIN);
	return 0;
}

/* No rule file, or one that does not compile: the standard flow. */
static void
load_default_rules(struct pipeline *p)
{
	char *from;

	if (p->prog != NULL)
		return;
	if (pipeline_support_default_rules(p->opts.config, &p->prog, &from) <
	    0) {
		/* cannot happen with a tested build: keep delivering, the
		   messages are recorded on no issue */
		log_warnx("the built-in standard rules do not compile");
		return;
	}
	p->lang = &sieve_lang;
	p->default_rules = from;
	p->opts.rules_path = from;
	log_info("rules: %s; the standard flow of %s",
		 p->rules_broken ? "broken" : "none configured", from);
}

int
pipeline_support_analyze(struct pipeline *p, struct msg *msg,
			 const char **error_r)
{
	const struct support_facts *facts;
	struct store *store;
	int r;

	if (p->support_off || p->opts.dry_run)
		return 0;
	if (p->support == NULL) {
		if (pipeline_store(p, &store, error_r) < 0)
			return -1;
		r = support_open(p->opts.config, store, &p->support, error_r);
		if (r < 0)
			return -1;
		if (r == 0 || store == NULL) {
			support_close(&p->support);
			p->support_off = true;
			return 0;
		}
		pipeline_outbound_attach(p);
		pipeline_notices_attach(p);
		load_default_rules(p);
	}
	return support_analyze(p->support, msg, &facts, error_r);
}

int
pipeline_support_plan(struct pipeline *p, struct result *result,
		      const char **error_r)
{
	if (p->support == NULL)
		return 0;
	for (size_t i = 0; i < result_count(result); i++) {
		const struct action *a = result_at(result, i);

		if (a->kind != ACTION_SUPPORT)
			continue;
		if (support_apply(p->support, a, error_r) < 0) {
			/* a bad argument is the rule's fault: log, go on */
			log_warnx("%s:%d: %s", a->file != NULL ? a->file : "",
				  a->line, *error_r);
		}
	}
	return 0;
}

int
pipeline_support_record(struct pipeline *p, const char **error_r)
{
	int64_t issue;

	if (p->support == NULL)
		return 0;
	return support_record(p->support, &issue, error_r) < 0 ? -1 : 0;
}

void
pipeline_support_done(struct pipeline *p)
{
	if (p->support != NULL)
		support_message_done(p->support);
}
