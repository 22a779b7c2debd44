/*
 * sieve.h - the Sieve rule language (RFC 5228 and extensions) as
 * Dovecot Pigeonhole runs it: compile a script, run it on a message to
 * collect actions, decide whether a vacation reply goes out, and run
 * .svtest files (vnd.dovecot.testsuite).
 */
#ifndef ACKMAIL_SIEVE_H
#define ACKMAIL_SIEVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "engine.h"
#include "util.h"

/* The language, for filter/ and the engine's language table. */
extern const struct rule_lang sieve_lang;

/* Compiles a script held in memory (fuzzing, tests). Returns 0 when
   clean, -1 with errors in diag. The program is freed by
   sieve_lang.free. */
int sieve_compile_text(const char *name, const char *text, size_t len,
		       const struct config *config,
		       struct rule_program **prog_r, struct diag *diag);

/* ---- persistence for vacation and duplicate ----
 *
 * A Sieve run reaches its records through one of these: over the
 * state database when rule_env->store (a struct store *) is set, in
 * memory otherwise. Each function returns -1 error, 0 no, 1 yes. */
struct sieve_vacation_store {
	/* Has a reply to sender under handle been sent since `since`? */
	int (*vacation_seen)(void *ctx, const char *sender, const char *handle,
			     time_t since);
	/* Records a reply sent to sender now. */
	int (*vacation_record)(void *ctx, const char *sender,
			       const char *handle, time_t now);
	/* duplicate (RFC 7352): was id seen since `since`? */
	int (*duplicate_seen)(void *ctx, const char *id, time_t since);
	int (*duplicate_record)(void *ctx, const char *id, time_t now,
				long seconds);
	void *ctx;
};

struct store;

/* The records in the state database (rule_env->store is a struct store
 * when the pipeline has one). Free with sieve_records_free(). */
struct sieve_vacation_store *sieve_records_from_store(struct store *store);
void sieve_records_free(struct sieve_vacation_store **records);

/* An in-memory implementation (tests, ackmail check). */
struct sieve_vacation_store *sieve_memstore_new(void);
void sieve_memstore_free(struct sieve_vacation_store **store);

/* vacation_decide (lib/engine) over Sieve's records: the reply-or-not
 * rules for a vacation action a collected from msg. recipient: our
 * address (envelope recipient). Returns 1 reply (recorded when store is
 * not NULL), 0 no (reason in *reason_r, static), -1 store error. */
int sieve_vacation_decide(struct msg *msg, const struct action *a,
			  const char *recipient,
			  const struct sieve_vacation_store *store,
			  const char **reason_r);

/* The reply message (RFC 5230 section 5, RFC 3834) for a vacation
 * action a collected from msg: From the :from address or recipient, To
 * the sender, Subject the :subject or "Auto: " and the original one,
 * In-Reply-To/References, Auto-Submitted: auto-replied; the reason as a
 * text/plain UTF-8 body, or as the MIME entity it is with :mime. Lines
 * end in LF. Caller frees. */
char *sieve_vacation_reply(struct msg *msg, const struct action *a,
			   const char *recipient);

/* ---- the testsuite (sieve-testsuite.c) ---- */

struct sieve_testsuite_stats {
	int passed, failed;
};

/* Runs one .svtest file, printing "test NAME: PASS|FAIL (reason)" lines
   and errors into out. Returns 0 when every block passed, -1 otherwise
   (and on a compile error of the file itself). */
int sieve_testsuite_run(const char *path, struct str *out,
			struct sieve_testsuite_stats *stats);

#endif
