/*
 * pm-private.h - what the procmail files share among themselves.
 */
#ifndef ACKMAIL_PM_PRIVATE_H
#define ACKMAIL_PM_PRIVATE_H

#include <sys/types.h>

#include "procmail.h"

/* LINEBUF: procmail's default and its floor */
#define PM_LINEBUF_DEFAULT 2048
#define PM_LINEBUF_MIN	   128
/* How often procmail tries a lock that cannot be made at all */
#define PM_LOCK_TRIES 8

/* One level of recipes (an rc file, a { } block) while it runs
   (pm-lower.c): what A/a/E/e look at, and the recipe being matched. */
struct pm_level {
	bool lastcond; /* the last recipe's conditions matched */
	bool lastsucc; /* and its action succeeded */
	const struct pm_recipe *recipe;
	double score;
	bool weighted, saturated;
	size_t nread; /* conditions of the recipe read so far */
};

struct pm_state {
	const struct pm_options *opt;
	struct strlist env; /* "NAME=value", exported to programs */
	struct str msg;	    /* the message as procmail holds it */
	bool dry_run;
	bool delivered; /* a delivering recipe succeeded: stop */
	bool stop;	/* stop this (clone) run */
	/* Dry runs: the clone a c block forks is run again from the start
	   (no fork): dry_path lists, ascending, the c-block encounters
	   (counted in dry_forks) where this run is the clone; the actions
	   before the last of them are the parent's, already listed, so
	   dry_quiet holds them back. New encounters after it go to
	   dry_more, for runs of their own. */
	const int *dry_path;
	int dry_npath, dry_forks;
	bool dry_quiet;
	int *dry_more;
	int dry_nmore;
	bool raw;	   /* the r flag of the recipe being run */
	bool write_failed; /* the last program did not take all its input */
	bool host_stop;	   /* HOST did not match: no DEFAULT delivery */
	int exitcode;	   /* procmail's exit code when set, else -1 */
	double score;
	char *lastfolder;
	struct pm_done *done;
	size_t ndone, capdone;
	struct str *errors;
	int include_depth;
	const char *rcfile; /* current rc file, for $_ */
	char *const *args;  /* $1 .. */
	int nargs;
	char *hostname;
	char *lockfile;	    /* LOCKFILE held, or NULL */
	bool verbose;	    /* VERBOSE: procmail's trace lines in the log */
	bool nowait;	    /* the next program is not waited for (no w) */
	bool clone;	    /* this process is a clone of a c block */
	long timeout;	    /* TIMEOUT seconds for programs (0: none) */
	bool timed_out;	    /* the last program was terminated by TIMEOUT */
	long linebuf;	    /* LINEBUF */
	int release_fd;	    /* closing it lets the unwaited program start */
	bool quiet_assign;  /* do not trace the next assignment */
	bool copying;	    /* the action being run is a copy (c, f, capture) */
	bool quenched;	    /* a backquote's output was cut to LINEBUF */
	bool force_shell;   /* the next program goes to $SHELL as written */
	char lastvar[256];  /* the last variable name expanded */
	struct diag *diags; /* the rc file's parse complaints, in line order */
	size_t diag_next;   /* the first not logged yet */
	long last_offset;   /* where the last mbox delivery began */
	size_t last_written;	 /* the size in the last log abstract */
	const struct str *whole; /* the whole message during an h/b action */
	pid_t *pending;		 /* programs not waited for yet */
	size_t npending;
	struct pm_level *level; /* of the program running */
	/* a block's lowered program, handed from its action to the
	   evaluator that runs the block (pm-lower.c) */
	const struct ir_program *block_ir;
	const struct pm_node *block_nodes;
};

/* pm-support.c: the ACKMAIL_* variables (ackmail-rules(5)) */
struct pm_support;
/* Appends "ACKMAIL_CLASS=..." and the other facts of support (a struct
   support *, may be NULL: nothing) to assigns. */
void pm_support_facts(void *support, struct strlist *assigns);
struct pm_support *pm_support_new(const char *file);
/* The pm_options.on_assign hook; arg is the struct pm_support. */
void pm_support_on_assign(void *arg, struct pm_state *st, const char *name,
			  const char *value, int line);
/* Adds the collected support actions to result, bad values to diag as
   warnings, frees. Returns the number of actions. */
int pm_support_finish(struct pm_support **ps, struct result *result,
		      struct diag *diag);

/* pm-eval.c */
const char *pm_getenv(struct pm_state *st, const char *name);
void pm_setenv(struct pm_state *st, const char *name, const char *value);
void pm_unsetenv(struct pm_state *st, const char *name);
void pm_log(struct pm_state *st, const char *fmt, ...) ATTR_PRINTF(2, 3);
void pm_log_raw(struct pm_state *st, const char *s, size_t len);
/* A trace line, logged only while VERBOSE is on. */
void pm_trace(struct pm_state *st, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* procmail's "[pid] date" trace line. */
void pm_trace_stamp(struct pm_state *st);
/* The log abstract of one delivery (LOGABSTRACT). */
void pm_log_abstract(struct pm_state *st, const char *folder, size_t size);
/* LASTFOLDER after a delivery, traced as procmail traces it. */
void pm_set_lastfolder(struct pm_state *st, const char *f);
size_t pm_header_len(const char *msg, size_t len);

/* The evaluator's parts the IR handlers call (pm-lower.c): one
   condition (1 matched, 0 not; weighted ones add to *score and set
   *weighted), an assignment node, a recipe's action (1 succeeded). */
int pm_eval_cond(struct pm_state *st, const struct pm_recipe *r,
		 const char *raw, double *score, bool *weighted);
void pm_eval_assign(struct pm_state *st, const struct pm_node *n);
/* The run has reached rc line `line`: the parser's complaints before it
   are logged now, as procmail logs them while it reads. */
void pm_eval_reach(struct pm_state *st, int line);
int pm_eval_action(struct pm_state *st, const struct pm_node *n);
/* pm_eval_action: a program line procmail could not read; the last
   recipe's "action succeeded" stays as it was */
#define PM_ACTION_UNREAD (-2)
/* LINEBUF (procmail reads each rc line into a buffer of that size):
   logs "Exceeded LINEBUF" and sets PROCMAIL_OVERFLOW. */
void pm_linebuf_exceeded(struct pm_state *st);
/* Whether a condition line does not fit (checked as procmail reads
   it, evaluated or not). */
bool pm_cond_too_long(const struct pm_state *st, const char *raw);
/* Reads the lines of recipe r that procmail reads without running
   them: conditions from index `from` on, then the action line (a
   block: its lines, recursively), logging each that does not fit. */
void pm_read_skipped(struct pm_state *st, const struct pm_recipe *r,
		     size_t from);

/* pm-lower.c: lowers a list of nodes (blocks into programs of their
   own, owned by the result) to the IR; file names the program. */
struct ir_program *pm_lower(const char *file, const struct pm_node *nodes);
/* Runs a lowered program as the level lv. 0 ended, 1 delivered or
   stopped. */
int pm_run_ir(struct pm_state *st, const struct ir_program *prog,
	      struct pm_level *lv);

/* pm-deliver.c: writes the message to one folder (the first word of
   folders; the others get hard links). Returns 0 and the logged names
   in *logname_r (caller frees), or -1. */
int pm_deliver_folders(struct pm_state *st, struct strlist *folders, bool lock,
		       const char *lockfile, bool copy, char **logname_r,
		       size_t *written_r);
/* Runs a program with data on stdin (NULL data: /dev/null). When out
   is not NULL its standard output is captured. Returns the exit
   status (0..255, 128+signal) or -1 when it could not be run. */
int pm_run_program(struct pm_state *st, const char *cmd, const char *data,
		   size_t len, struct str *out);
/* Whether a command goes through $SHELL (a SHELLMETAS character). */
bool pm_has_meta(struct pm_state *st, const char *cmd);
/* Dotlock: creates path with O_EXCL, retrying as LOCKSLEEP and
   LOCKTIMEOUT say. Returns 0 or -1. */
int pm_lock(struct pm_state *st, const char *path);
void pm_unlock(struct pm_state *st, const char *path);

#endif
