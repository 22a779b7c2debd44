/*
 * procmail.h - running procmailrc files exactly as procmail does.
 *
 * Three layers, each usable alone:
 *   pm-regex.c   procmail's regular expression dialect (our own Pike VM)
 *   pm-parse.c   the rc file -> a tree of assignments and recipes, with
 *                file:line:col diagnostics
 *   pm-eval.c    the evaluator: variables, substitution, conditions,
 *                scoring, and the actions, delivered as procmail
 *                delivers them (pm-deliver.c: mbox, Maildir, MH,
 *                plain directory, hard links; pipes; forwarding)
 * and two entry points: procmail_lang for `ackmail deliver -r` /
 * `ackmail check`, and pm_main() for `ackmail procmail`.
 */
#ifndef ACKMAIL_PROCMAIL_H
#define ACKMAIL_PROCMAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"
#include "engine.h"

/* ---- pm-regex.c ---- */

struct pm_regex;

struct pm_match {
	size_t end;	    /* where the (shortest) match ended */
	bool has_match;	    /* the expression had \/ and it was crossed */
	size_t match_start; /* MATCH = text[match_start, match_end) */
	size_t match_end;
};

/* Compiles a procmail expression. Case-insensitive unless
   case_sensitive (the D flag). Returns NULL with a static reason. */
struct pm_regex *pm_regex_compile(const char *pattern, size_t len,
				  bool case_sensitive, const char **error_r);
void pm_regex_free(struct pm_regex **re);
bool pm_regex_has_cut(const struct pm_regex *re);
/* Searches text (the whole search area; from is where to begin).
   Returns 1 matched (m filled when not NULL), 0 not. */
int pm_regex_search(const struct pm_regex *re, const char *text, size_t len,
		    size_t from, struct pm_match *m);
/* Counts successive matches, at most limit; -1 when the expression
   matches forever without moving on (procmail's score then saturates). */
long pm_regex_count(const struct pm_regex *re, const char *text, size_t len,
		    long limit);

/* ---- pm-parse.c ---- */

enum pm_cond_kind {
	PM_COND_REGEX,
	PM_COND_PROGRAM, /* ? command */
	PM_COND_LESS,	 /* < size */
	PM_COND_MORE,	 /* > size */
	PM_COND_VAR,	 /* VAR ?? regex */
};

struct pm_cond {
	int line, col;
	char *raw; /* the text after '*', continuation lines joined */
};

enum pm_action_kind {
	PM_ACT_FOLDER,
	PM_ACT_PIPE,
	PM_ACT_FORWARD,
	PM_ACT_BLOCK,
};

/* Recipe flags, procmailrc(5). */
struct pm_flags {
	bool H, B, D, A, a, E, e, h, b, f, c, w, W, i, r;
	bool H_set, B_set, h_set, b_set;
};

struct pm_node;

struct pm_recipe {
	struct pm_flags flags;
	bool lock;	/* a ':' after the flags */
	char *lockfile; /* the local lockfile as written, or NULL */
	struct pm_cond *conds;
	size_t nconds;
	enum pm_action_kind action;
	char *action_text; /* folder(s), command, addresses (raw) */
	char *capture;	   /* VAR of "VAR=| cmd", or NULL */
	struct pm_node *block;
	int action_line;
};

enum pm_node_kind { PM_NODE_ASSIGN, PM_NODE_RECIPE };

struct pm_node {
	enum pm_node_kind kind;
	int line, col;
	char *name;  /* ASSIGN: variable */
	char *value; /* ASSIGN: raw value (NULL: "VAR" alone) */
	struct pm_recipe recipe;
	struct pm_node *next;
};

struct pm_rc {
	char *path;
	struct pm_node *nodes;
};

/* Parses rc text. Errors go to diag as file:line:col (the file name is
   path). Returns 0, or -1 when there were errors (the tree then holds
   what could be parsed, as procmail skips what it cannot). */
int pm_parse(const char *path, const char *text, size_t len,
	     struct pm_rc **rc_r, struct diag *diag);
void pm_rc_free(struct pm_rc **rc);
/* Looks like a procmailrc: 1 yes, 0 no. */
int pm_detect(const char *text, size_t len);

/* ---- pm-eval.c ---- */

struct pm_state;

struct pm_options {
	bool mailfilter;      /* -m */
	bool pretend_exit;    /* -p: keep the environment */
	bool dry_run;	      /* record actions, deliver nothing */
	const char *from;     /* -f sender */
	bool override_from;   /* -o */
	const char *args[32]; /* -a arguments: $1 .. */
	int nargs;
	bool tempfail_on_error; /* -t */
	/* Called after every assignment the rc files make (not the
	   command line's), with the expanded value (NULL: unset) and the
	   rc line; arg is on_assign_arg. pm-lang.c turns ACKMAIL_*
	   assignments into support actions through it. */
	void (*on_assign)(void *arg, struct pm_state *st, const char *name,
			  const char *value, int line);
	void *on_assign_arg;
	bool comsat_default; /* no rc file given: COMSAT is on unless set */
	/* Called (when set) before rc file number index runs, with
	   before_rcfile_arg: `ackmail procmail -d` as root leaves root
	   after /etc/procmailrc through it. */
	void (*before_rcfile)(void *arg, int index);
	void *before_rcfile_arg;
	/* The first rc file is /etc/procmailrc: as procmail, it runs in
	   the caller's working directory with MAILDIR unset; the next one
	   starts in HOME (MAILDIR=$HOME) unless it set MAILDIR. */
	bool etc_rcfile;
};

/* One action the run carried out (or would have, in a dry run). */
struct pm_done {
	enum pm_action_kind kind;
	char *target; /* folder path(s) / command / addresses */
	bool copy;    /* the c flag: delivery does not end the run */
	int line;
};

/* The whole of a procmail run over one message: assignments (NAME=value
   strings, in order) and rc files. Returns procmail's exit code. The
   actions done are appended to done (may be NULL). */
int pm_run(const struct pm_options *opt, char *const *assignments,
	   char *const *rcfiles, int nrc, const char *message, size_t len,
	   struct pm_done **done_r, size_t *ndone_r, struct str *errors);
void pm_done_free(struct pm_done *done, size_t n);

/* The header as procmail's conditions see it: continuation newlines
   turned into spaces. Caller frees. */
char *pm_unfold_header(const char *hdr, size_t len);

/* For the conformance table: runs one condition the way a recipe with
   flags would, on message. Returns 1 matched, 0 not, -1 bad regex;
   *match_r is MATCH (caller frees) or NULL when unset; *score_r is $=. */
int pm_probe(const char *flags, const char *cond, const char *message,
	     size_t len, char **match_r, long *score_r);

/* ---- pm-lang.c ---- */

extern const struct rule_lang procmail_lang;

#endif
