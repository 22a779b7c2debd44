/*
 * engine.h - what rules produce and how it is carried out.
 *
 * Both rule languages (Sieve in lib/sieve, procmailrc in lib/procmail)
 * compile a rule file into a program behind struct rule_lang, and running
 * a program only collects actions into a struct result. The result checks
 * duplicates and conflicts, keeps the implicit keep, and then executes the
 * actions transactionally through the action_def table that the caller
 * (filter/) hands in: engine never includes actions/.
 *
 *   prepare: every action's def->prepare (write tmp files, queue rows)
 *   commit:  every def->commit (rename into place, ...)
 *   on any failure: def->rollback for what was prepared, then the
 *   implicit keep into the default mailbox; if even that fails the
 *   outcome is KEEP_FAILED (exit 75, the MTA retries).
 */
#ifndef ACKMAIL_ENGINE_H
#define ACKMAIL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

struct msg;
struct config;

/* ---- diagnostics (diag.c) ---- */

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag_item {
	enum diag_level level;
	char *file;
	int line, col;
	char *text;
};

struct diag {
	struct diag_item *v;
	size_t n, cap;
	int errors, warnings;
};

void diag_add(struct diag *d, enum diag_level level, const char *file, int line,
	      int col, const char *fmt, ...) ATTR_PRINTF(6, 7);
/* Appends "file:line:col: error: text\n" per item. */
void diag_format(const struct diag *d, struct str *out);
void diag_free(struct diag *d);

/* ---- editheader: the header as edited (header-edit.c) ---- */

struct header_edit;

/* An editable copy of msg's header fields, in message order; msg must
   outlive it. Fields nobody touches keep their bytes exactly. */
struct header_edit *header_edit_new(const struct msg *msg);
void header_edit_free(struct header_edit **he);
const struct msg *header_edit_msg(const struct header_edit *he);
size_t header_edit_count(const struct header_edit *he);
/* The i-th field's name, and its unfolded raw value (what header tests
   see before RFC 2047 decoding); NULL past the end. Owned by he. */
const char *header_edit_name(const struct header_edit *he, size_t i);
const char *header_edit_value(const struct header_edit *he, size_t i);
/* Adds "name: value" as the first field, or the last one with last.
   value is UTF-8 text: line breaks become folds, long lines are folded,
   8-bit text is RFC 2047 encoded. name must be a valid field name. */
void header_edit_add(struct header_edit *he, const char *name,
		     const char *value, bool last);
/* Deletes the i-th field. */
void header_edit_delete(struct header_edit *he, size_t i);
/* How many adds and deletes were made (0: the header is as received). */
unsigned int header_edit_changes(const struct header_edit *he);
/* The whole message with the edited header: the From_ line, the fields,
   the empty line and the body as received, with the same envelope.
   Caller frees. */
struct msg *header_edit_message(const struct header_edit *he);

/* A message as editheader had left it when an action was taken; shared
   by every action taken while the header stayed the same. */
struct edited_msg {
	int refs;
	struct msg *msg;
};

void edited_msg_unref(struct edited_msg **em);

/* ---- actions ---- */

enum action_kind {
	ACTION_STORE = 0, /* keep / fileinto: folder + flags */
	ACTION_DISCARD,
	ACTION_REDIRECT,  /* forward to address */
	ACTION_REJECT,	  /* refuse with a reason (MDN-style) */
	ACTION_EREJECT,	  /* refuse at SMTP level */
	ACTION_PIPE,	  /* run a command with the message on stdin */
	ACTION_VACATION,  /* auto-reply */
	ACTION_ADDHEADER, /* editheader */
	ACTION_DELETEHEADER,
	ACTION_SUPPORT,	       /* support work: issue, acknowledge, notice */
	ACTION_DUPLICATE_MARK, /* duplicate (RFC 7352): record the id, once
				  the delivery succeeded (kept apart from
				  the action list, see result_add_mark) */
	ACTION_KIND_COUNT,
};

struct action {
	enum action_kind kind;
	bool implicit;	      /* the implicit keep */
	bool copy;	      /* :copy - does not cancel implicit keep */
	bool create;	      /* fileinto :create */
	char *folder;	      /* STORE: as the rule wrote it; NULL = INBOX */
	char *mbox;	      /* STORE: an mbox file instead of Maildir */
	struct strlist flags; /* STORE: IMAP flags */
	char *address;	      /* REDIRECT */
	char *reason;	      /* REJECT, EREJECT */
	char *command;	      /* PIPE: command line */
	bool command_shell;   /* PIPE: needs /bin/sh -c */
	/* VACATION */
	char *vac_to, *vac_from, *vac_subject, *vac_body, *vac_handle;
	bool vac_mime;
	long vac_seconds;
	/* ADDHEADER / DELETEHEADER */
	char *hdr_name, *hdr_value;
	bool hdr_last;
	int hdr_index;
	/* SUPPORT: operation name and its key=value arguments */
	char *op;
	struct strlist args;
	/* STORE: Sieve fileinto of a folder that must exist already (no
	   :create and [sieve] mailbox_autocreate = no): a missing folder
	   fails the store, and the message falls back to the default
	   mailbox, as Pigeonhole does */
	bool need_folder;
	/* DUPLICATE_MARK: the id to record and for how long */
	char *dup_id;
	long dup_seconds;
	/* STORE, REDIRECT, PIPE: the message with the header edits made
	   before the action (editheader), NULL when there were none; the
	   result sets it when the action is added */
	struct edited_msg *edited;
	/* where the rule came from, for logs */
	const char *file;
	int line;
	/* execution state, owned by the action_def */
	void *state;
};

/* Allocates a zeroed action of kind. */
struct action *action_new(enum action_kind kind);
void action_free(struct action **action);
const char *action_kind_name(enum action_kind kind);
/* One JSON object (no newline), as `ackmail check` prints it. */
void action_to_json(const struct action *a, struct str *out);
/* A short human description: "fileinto \"Support\"". */
void action_describe(const struct action *a, struct str *out);
/* The message the action carries out: the edited one when editheader
   changed the header before the action, else msg. */
const struct msg *action_msg(const struct action *a, const struct msg *msg);

/* ---- vacation: reply or not (vacation.c) ---- */

/* The per-sender records of vacation replies (the state database, or
   memory in tests). Each returns -1 error, 0 no, 1 yes / done. */
struct vacation_records {
	/* Was a reply sent to sender under handle at or after since? */
	int (*seen)(void *ctx, const char *sender, const char *handle,
		    time_t since);
	/* Records a reply to sender under handle at now. */
	int (*record)(void *ctx, const char *sender, const char *handle,
		      time_t now);
	void *ctx;
};

/* The reply-or-not rules of RFC 5230 and Pigeonhole for a vacation
   action a collected from msg: not to the null sender or a robot sender
   (MAILER-DAEMON, owner-*, *-request, ...), not to auto-submitted, list
   or bulk mail, only when the message is addressed to one of our
   addresses (recipient and the action's :addresses, looked up in To,
   Cc, Bcc, Resent-To, Resent-Cc, Resent-Bcc), and not twice to the same
   sender within the action's period (records may be NULL: none kept).
   Returns 1 reply (and records it), 0 no (reason in *reason_r, static),
   -1 records error. */
int vacation_decide(struct msg *msg, const struct action *a,
		    const char *recipient,
		    const struct vacation_records *records,
		    const char **reason_r);

/* ---- the result ---- */

struct result;

struct result *result_new(void);
void result_free(struct result **result);
/* Adds an action (the result takes ownership). Exact duplicates are
   merged as RFC 5228 section 4 says (flags united, :copy kept only when
   every duplicate had it). Returns 1 added, 0 merged into an earlier
   action. */
int result_add(struct result *result, struct action *action);
/* Adds an action as it is, never merged (a procmailrc's dry run: each
   of its deliveries happens, duplicates too). */
void result_append(struct result *result, struct action *action);
/* Cancels the implicit keep (fileinto, redirect, discard, reject do). */
void result_cancel_implicit_keep(struct result *result);
bool result_implicit_keep(const struct result *result);
/* Flags for the implicit keep (imap4flags' internal variable). */
void result_set_keep_flags(struct result *result, const struct strlist *f);
/* The explicit actions in execution order. */
size_t result_count(const struct result *result);
struct action *result_at(const struct result *result, size_t i);
/* Removes every action (test_result_reset). */
void result_reset(struct result *result);
/* JSON lines, one per action, the implicit keep included when in force. */
void result_to_json(const struct result *result, struct str *out);
/* editheader: the result's editable header, NULL until a rule edits it.
   result_set_header_edit hands one over (the result owns it; the old
   one is freed). Store, redirect and pipe actions added afterwards carry
   the message as edited so far; the implicit keep carries the message
   with every edit; the fallback keep after a failure stores the message
   as received. result_reset drops the edits. */
struct header_edit *result_header_edit(const struct result *result);
void result_set_header_edit(struct result *result, struct header_edit *he);
/* The message with every edit so far, NULL when nothing was edited.
   Owned by the result. */
const struct msg *result_edited_msg(struct result *result);
/* Adds work to do only when the message was delivered as the rules said
   (no fallback): ACTION_DUPLICATE_MARK. Kept apart from the actions
   (result_count does not count it, JSON does not show it); executed by
   result_execute after every action committed, inside the caller's
   state database transaction. Takes ownership. */
void result_add_mark(struct result *result, struct action *mark);
size_t result_mark_count(const struct result *result);
struct action *result_mark_at(const struct result *result, size_t i);

/* ---- execution ---- */

struct exec_ctx {
	struct msg *msg;
	const struct config *config;
	const char *maildir; /* default mailbox root (Maildir) */
	const char *mbox;    /* or an mbox file as the default */
	bool dry_run;
	long lock_timeout; /* seconds */
	long pipe_timeout; /* seconds */
	void *store;	   /* struct store *, opened lazily, or NULL */
	void *support;	   /* support context for ACTION_SUPPORT */
	void *defs_ctx;	   /* for a caller's own action table (poll) */
	/* filled by execution */
	struct str summary;	     /* "stored INBOX; fileinto Support" */
	struct strlist delivered_to; /* where the message was stored */
	bool rejected;		     /* a reject/ereject was carried out */
	char *reject_reason;
};

struct action_def {
	const char *name;
	/* Does the work that can be undone (tmp files, queue rows).
	   Returns 0, or -1 with an error and a class in *outcome_r. */
	int (*prepare)(struct action *a, struct exec_ctx *ctx,
		       enum outcome *outcome_r, const char **error_r);
	/* Makes it final. Same convention. */
	int (*commit)(struct action *a, struct exec_ctx *ctx,
		      enum outcome *outcome_r, const char **error_r);
	/* Undoes prepare (may be NULL). */
	void (*rollback)(struct action *a, struct exec_ctx *ctx);
};

/* Executes the result with the given table (indexed by action kind).
   Explicit actions first; if any fails, what was prepared is rolled back
   and the message goes to the default mailbox (implicit keep, tagged
   "fallback" in the summary). Returns the overall outcome: OK when the
   message is safely stored somewhere (or deliberately discarded),
   KEEP_FAILED/TEMPFAIL otherwise. */
enum outcome result_execute(struct result *result, struct exec_ctx *ctx,
			    const struct action_def *const *defs);

void exec_ctx_init(struct exec_ctx *ctx);
void exec_ctx_deinit(struct exec_ctx *ctx);

/* ---- the rule IR (ir.c) ----
 *
 * Both rule languages lower a rule file into a flat program of
 * instructions that ir_run() walks with a program counter and one
 * test-result register. The IR knows control flow only; what a test
 * tests and what a command does is the language's business: each TEST,
 * CMD or CALL instruction carries a handler (a const table of functions
 * the language supplies) and the handler's pre-compiled arguments.
 * Handlers collect actions into ctx->result; evaluation never delivers.
 *
 *   TEST      reg = handler->exec()           (1 true, 0 false, -1 error)
 *   NOT       reg = !reg
 *   JMP       pc = target
 *   JMPF/JMPT pc = target when reg is false / true
 *   CMD       handler->exec(): -1 error, 0 go on, 1 stop the whole run
 *   CALL      like CMD; the handler sets up its scope and runs insn->sub
 *             with ir_run() (Sieve include, the testsuite's test blocks,
 *             procmail's { } blocks)
 *   RETURN    end this program (the caller goes on)
 *   STOP      end the whole run
 *
 * Jumps only go forward, so every program ends. Short-circuit logic
 * (allof, anyof, not; procmail's condition lists) is lowered to jumps:
 * after the last instruction of a test expression the register holds its
 * value. docs/architecture.md shows Sieve and procmailrc lowered.
 */

enum ir_opcode {
	IR_TEST,
	IR_NOT,
	IR_JMP,
	IR_JMPF,
	IR_JMPT,
	IR_CMD,
	IR_CALL,
	IR_RETURN,
	IR_STOP,
};

struct ir_insn;
struct ir_program;

/* The state of one run, handed to every handler. */
struct ir_ctx {
	void *lang;	       /* the language's own run state */
	struct result *result; /* where the actions go */
};

/* A language's instruction handler: one table per kind of instruction
   the language emits (Sieve: one for commands, one for tests). */
struct ir_handler {
	const char *name;
	/* TEST: 1 true, 0 false, -1 runtime error.
	   CMD, CALL: 0 go on, 1 stop the run, -1 runtime error. */
	int (*exec)(struct ir_ctx *ctx, const struct ir_insn *insn);
	/* Appends the instruction's arguments in the language's own
	   words for ir_dump ("header :contains \"subject\" \"x\""). */
	void (*describe)(const struct ir_insn *insn, struct str *out);
};

struct ir_insn {
	enum ir_opcode op;
	size_t target;			  /* JMP, JMPF, JMPT */
	const struct ir_handler *handler; /* TEST, CMD, CALL */
	void *arg;			  /* the handler's; not owned */
	const struct ir_program *sub;	  /* CALL: what it runs; not owned */
	int line;			  /* in the program's file, 0 unknown */
};

struct ir_program {
	char *name; /* the rule file, or "file:line block" */
	struct ir_insn *v;
	size_t n, cap;
	/* programs owned by this one (blocks lowered apart) */
	struct ir_program **subs;
	size_t nsubs;
};

/* A new empty program named name (copied). */
struct ir_program *ir_program_new(const char *name);
/* A new program owned (and freed) by parent. */
struct ir_program *ir_program_new_sub(struct ir_program *parent,
				      const char *name);
void ir_program_free(struct ir_program **prog);
/* Appends an instruction; returns its index (its address). */
size_t ir_emit(struct ir_program *prog, enum ir_opcode op,
	       const struct ir_handler *handler, void *arg, int line);
/* Appends a jump whose target is set later by ir_patch. */
size_t ir_emit_jump(struct ir_program *prog, enum ir_opcode op);
/* Points the jump at index at to the next instruction to be emitted. */
void ir_patch(struct ir_program *prog, size_t at);
/* The address of the next instruction to be emitted. */
size_t ir_here(const struct ir_program *prog);

/* Runs prog. Returns 0 when it ended (fell off its end or RETURN),
   1 when a STOP (or a command) stopped the whole run, -1 on a runtime
   error (the handler reported it). */
int ir_run(const struct ir_program *prog, struct ir_ctx *ctx);

/* Appends a listing of prog and, after it, of every program its CALLs
   reach (each name once), one instruction a line:
     "  3  jmpf    7" / "  4  cmd     fileinto \"x\"  ; line 5". */
void ir_dump(const struct ir_program *prog, struct str *out);
const char *ir_opcode_name(enum ir_opcode op);

/* ---- rule languages ---- */

struct rule_env {
	struct msg *msg;
	const struct config *config;
	void *store;	     /* for vacation / duplicate records */
	void *support;	     /* support facts for vnd.ackmail */
	const char *maildir; /* for mailboxexists */
	bool dry_run;
};

struct rule_program;

struct rule_lang {
	const char *name; /* "sieve", "procmail" */
	/* Recognises the language from the file's text: 1 yes, 0 no. */
	int (*detect)(const char *text, size_t len);
	/* Compiles path. Diagnostics go to diag. Returns 0, -1 on errors. */
	int (*compile)(const char *path, const struct config *config,
		       struct rule_program **prog_r, struct diag *diag);
	/* Runs prog on env->msg, adding actions to result. Returns 0, or
	   -1 on a runtime error (the result then holds the implicit keep
	   only, as Pigeonhole does). */
	int (*run)(struct rule_program *prog, struct rule_env *env,
		   struct result *result, struct diag *diag);
	void (*free)(struct rule_program **prog);
	/* The program's IR, for `ackmail check --ir`; NULL when the
	   language is not lowered to the IR (may be NULL itself). */
	const struct ir_program *(*ir)(const struct rule_program *prog);
};

#endif
