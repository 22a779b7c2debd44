/*
 * lite.c - the ackmail program as the MTA starts it: one process per
 * message, so its start-up is the hot path (docs/benchmarks.md).
 *
 * The whole program (filter/ackmail-full: every subcommand, the rule
 * languages, the support core, SQLite, outgoing mail) links GLib, GMime,
 * GIO, gnutls and libetpan, and loading and initialising those costs
 * several times what a plain delivery does. This program links libc
 * only. It runs `ackmail deliver` itself when the delivery is plain: no
 * rules, no state database (no --db, no [database] path, no [support]
 * address), not a dry run; that is decided in pipeline_init(), before the
 * message is read, with the options and configuration cmd_deliver()
 * parsed. `ackmail procmail` and `ackmail formail` (lib/procmail works on
 * the raw bytes, without GMime or SQLite) run here too. Everything else -
 * every other subcommand, and a delivery that is not plain - is handed to
 * ackmail-full by execv() with the same arguments, standard input still
 * unread. (Should procmail or formail come to need the heavy libraries,
 * this program no longer links: take them out of here[] in main().)
 *
 * The plain delivery runs the same code as ackmail-full's (cmd-deliver.c,
 * pipeline.c, lib/): only the functions below stand in for the parts a
 * plain delivery never reaches (rules, support, notices, outgoing mail,
 * the store). They are linked in place of the real ones, which would pull
 * the heavy libraries in; a new call from the plain path into such a part
 * shows up as an undefined symbol when this program is linked.
 *
 * ackmail-full is looked for beside this program (the build tree), in
 * ../lib/ackmail/ from it (make install, also when the tree is moved),
 * then in ACKMAIL_LIBEXECDIR. Missing, it is a temporary failure (exit
 * 75): the MTA keeps the message and retries.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "actions.h"
#include "commands.h"
#include "pipeline.h"
#include "rules.h"
#include "store.h"
#include "support.h"

#ifndef ACKMAIL_LIBEXECDIR
#define ACKMAIL_LIBEXECDIR "/usr/local/lib/ackmail"
#endif
#define FULL_NAME "ackmail-full"

static char **lite_argv;

/* Runs ackmail-full with our arguments; returns only on failure. */
static int
lite_exec_full(void)
{
	static const char *const rel[] = {"", "../lib/ackmail/"};
	char self[PATH_MAX], path[2 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash = NULL;
	int err = 0;

	fflush(NULL);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
	}
	for (size_t i = 0; slash != NULL && i < N_ELEMENTS(rel); i++) {
		snprintf(path, sizeof(path), "%.*s/%s%s", (int)(slash - self),
			 self, rel[i], FULL_NAME);
		execv(path, lite_argv);
		if (errno != ENOENT)
			err = errno;
	}
	snprintf(path, sizeof(path), "%s/%s", ACKMAIL_LIBEXECDIR, FULL_NAME);
	execv(path, lite_argv);
	if (errno != ENOENT || err == 0)
		err = errno;
	fprintf(stderr,
		"ackmail: cannot run %s (looked beside ackmail, in "
		"../lib/ackmail and in %s): %s\n",
		FULL_NAME, ACKMAIL_LIBEXECDIR, strerror(err));
	return EX_TEMPFAIL;
}

/* A stand-in below was reached: the plain path changed (see the top). */
static void
lite_unreachable(const char *what)
{
	log_warnx("internal error: %s on the plain delivery path", what);
	exit(EX_TEMPFAIL);
}

int __real_pipeline_init(struct pipeline *p, const struct pipeline_opts *opts,
			 const char **error_r);
int __wrap_pipeline_init(struct pipeline *p, const struct pipeline_opts *opts,
			 const char **error_r);

/* The decision (the program is linked with --wrap=pipeline_init). */
int
__wrap_pipeline_init(struct pipeline *p, const struct pipeline_opts *opts,
		     const char **error_r)
{
	if (opts->dry_run || opts->db_path != NULL ||
	    opts->rules_path != NULL ||
	    config_get(opts->config, "rules", NULL, "path") != NULL ||
	    config_get(opts->config, "support", NULL, "address") != NULL ||
	    opts->defs != NULL || opts->before_commit != NULL)
		exit(lite_exec_full());
	return __real_pipeline_init(p, opts, error_r);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} here[] = {
	    {"deliver", cmd_deliver},
	    {"procmail", cmd_procmail},
	    {"formail", cmd_formail},
	};

	lite_argv = argv;
	for (size_t i = 0; argc >= 2 && i < N_ELEMENTS(here); i++)
		if (strcmp(argv[1], here[i].name) == 0)
			return here[i].run(argc - 1, argv + 1);
	if (argc == 2 &&
	    (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("ackmail %s\n", ACKMAIL_VERSION);
		return EX_OK;
	}
	return lite_exec_full();
}

/* ---- stand-ins: what a plain delivery does not reach ---- */

/* Local delivery only: the implicit keep is a store action. */
const struct action_def *const action_defs[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = &act_store,
};

const struct rule_lang *
rules_lang_for(const char *path, const char *lang, const char **error_r)
{
	lite_unreachable("rules");
	return NULL;
}

/* As pipeline-support.c without a database: support_open() finds no
   [support] address, the core stays off. */
int
pipeline_support_analyze(struct pipeline *p, struct msg *msg,
			 const char **error_r)
{
	p->support_off = true;
	return 0;
}

int
pipeline_support_plan(struct pipeline *p, struct result *result,
		      const char **error_r)
{
	return 0;
}

int
pipeline_support_record(struct pipeline *p, const char **error_r)
{
	return 0;
}

void
pipeline_support_done(struct pipeline *p)
{
}

void
pipeline_outbound_flush(struct pipeline *p)
{
}

void
pipeline_outbound_free(struct pipeline *p)
{
}

void
pipeline_notices_free(struct pipeline *p)
{
}

void
support_close(struct support **support)
{
	if (*support != NULL)
		lite_unreachable("support");
}

int
store_open(const char *path, long busy_timeout_ms, struct store **store_r,
	   const char **error_r)
{
	lite_unreachable("the state database");
	return -1;
}

void
store_close(struct store **store)
{
	if (*store != NULL)
		lite_unreachable("the state database");
}

int
store_begin(struct store *store, const char **error_r)
{
	lite_unreachable("the state database");
	return -1;
}

int
store_commit(struct store *store, const char **error_r)
{
	lite_unreachable("the state database");
	return -1;
}

void
store_rollback(struct store *store)
{
	lite_unreachable("the state database");
}

int
store_delivery_log(struct store *store, const char *message_id, time_t when,
		   const char *outcome, const char *folders,
		   const char **error_r)
{
	lite_unreachable("the state database");
	return -1;
}
