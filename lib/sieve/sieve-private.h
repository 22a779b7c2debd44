/*
 * sieve-private.h - the inside of lib/sieve: tokens, the AST, the
 * command/test/tag definitions, the extension registry and the
 * interpreter state. Only lib/sieve includes it.
 */
#ifndef ACKMAIL_SIEVE_PRIVATE_H
#define ACKMAIL_SIEVE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "match.h"
#include "msg.h"
#include "sieve.h"
#include "util.h"

/* ---- lexer (sieve-lexer.c) ---- */

enum sieve_tok {
	TOK_EOF,
	TOK_ERROR,
	TOK_IDENT,
	TOK_TAG,
	TOK_NUMBER,
	TOK_STRING,
	TOK_LBRACKET,
	TOK_RBRACKET,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_COMMA,
	TOK_SEMICOLON,
};

struct sieve_token {
	enum sieve_tok type;
	int line, col;
	struct str text; /* identifier, tag (without ':'), string */
	uint64_t number;
	const char *error; /* TOK_ERROR */
};

struct sieve_lexer {
	const char *p, *end;
	int line, col;
};

void sieve_lexer_init(struct sieve_lexer *lx, const char *text, size_t len);
/* Reads the next token into tok (its text is reset). */
void sieve_lexer_next(struct sieve_lexer *lx, struct sieve_token *tok);
const char *sieve_tok_name(enum sieve_tok t);

/* ---- AST (sieve-parser.c) ---- */

struct sieve_string {
	char *s;
	size_t len;
	bool dynamic; /* contains ${...} and variables is in force */
};

enum sieve_arg_type { ARG_NUMBER, ARG_STRING, ARG_STRLIST, ARG_TAG };

struct sieve_arg {
	enum sieve_arg_type type;
	int line, col;
	uint64_t number;
	struct sieve_string *strs; /* ARG_STRING: 1, ARG_STRLIST: n */
	size_t nstrs;
	char *tag;
};

struct sieve_node;
struct sieve_cmd_def;

/* Slots for tagged arguments: where a command's validator puts them. */
enum sieve_slot {
	SLOT_NONE = 0,
	SLOT_COMPARATOR,
	SLOT_MATCH,    /* match type: value = enum match_type */
	SLOT_ADDRPART, /* value = enum match_addrpart */
	SLOT_COPY,
	SLOT_CREATE,
	SLOT_FLAGS,
	SLOT_DAYS,
	SLOT_SECONDS,
	SLOT_SUBJECT,
	SLOT_FROM,
	SLOT_ADDRESSES,
	SLOT_MIME,
	SLOT_HANDLE,
	SLOT_INDEX,
	SLOT_LAST,
	SLOT_ZONE,
	SLOT_ORIGINALZONE,
	SLOT_BODYXFORM, /* value: 0 raw, 1 content, 2 text */
	SLOT_MODIFIER,	/* variables set: value bit mask */
	SLOT_OVER,
	SLOT_UNDER,
	SLOT_PERSONAL,
	SLOT_GLOBAL,
	SLOT_ONCE,
	SLOT_OPTIONAL,
	SLOT_UNIQUEID,
	SLOT_HEADER,
	SLOT_MAILBOXID,
	SLOT_SMTP,
	SLOT_FOLDER,
	SLOT_COUNT_OPT, /* test_error :count */
	SLOT_INDEX_OPT, /* test_error :index */
	SLOT_ACK_HOW,	/* vnd.ackmail: ackmail_matched :how */
	SLOT_ACK_CUST,	/* ackmail_customer :known/:vip/:name/:company */
	SLOT_ACK_QUEUE,
	SLOT_ACK_NUMBER,
	SLOT_ACK_NEW,
	SLOT_ACK_SYSTEM,
	SLOT_ACK_BODY,
	SLOT_ACK_ALWAYS,   /* ackmail_acknowledge :always */
	SLOT_ACK_TEMPLATE, /* ackmail_acknowledge :template */
	SLOT_ACK_LANG,	   /* ackmail_acknowledge/ackmail_state :lang */
	SLOT_ACK_NOTE,	   /* ackmail_state :note */
	SLOT_ACK_QUIET,	   /* ackmail_state :quiet */
	SLOT_MAX,
};

struct sieve_tag_def {
	const char *name;
	const char *ext; /* extension that must be required, or NULL */
	enum sieve_slot slot;
	char arg;  /* 0 none, 'S' string, 'L' string list, 'N' number */
	int value; /* for SLOT_MATCH, SLOT_ADDRPART, SLOT_BODYXFORM,
		      SLOT_MODIFIER */
};

/* The validated form of one command or test. */
struct sieve_cmd {
	struct sieve_arg *tag[SLOT_MAX]; /* the tag's own argument */
	bool has[SLOT_MAX];
	int value[SLOT_MAX];
	struct sieve_arg **pos; /* positional arguments */
	size_t npos;
	const struct match_comparator *comparator;
	enum match_rel rel;
	/* compiled :regex keys, when the keys are constant */
	struct match_regex **regex;
	size_t nregex;
	void *data; /* per-definition data (include: the loaded script) */
	void (*data_free)(void *data);
	/* the program the command runs (an IR CALL): include's script,
	   the block of a block command other than if/elsif/else; set by
	   include's validate and by the lowering, not owned */
	const struct ir_program *sub;
};

struct sieve_node {
	char *name;
	int line, col;
	struct sieve_arg *args;
	size_t nargs;
	struct sieve_node **tests;
	size_t ntests;
	bool test_list; /* tests were in ( ) */
	struct sieve_node **block;
	size_t nblock;
	bool has_block;
	bool is_test;
	/* filled by the validator */
	const struct sieve_cmd_def *def;
	struct sieve_cmd cmd;
};

struct sieve_script {
	char *path; /* as given, for diagnostics */
	char *name; /* script name (file name without .sieve) */
	struct sieve_node **cmds;
	size_t ncmds;
	struct strlist required;    /* extension names */
	struct strlist global_vars; /* include: "global" names */
	bool variables;
	struct ir_program *ir; /* the lowered script, once it validated */
};

/* Parses text; errors go to diag with file. Always returns a script
   (possibly partial); diag->errors says whether it is usable. */
struct sieve_script *sieve_parse(const char *file, const char *text, size_t len,
				 struct diag *diag);
void sieve_script_free(struct sieve_script **script);
void sieve_node_free(struct sieve_node **node);

/* ---- definitions and the registry (sieve-ext.c) ---- */

struct sieve_run;
struct sieve_valid;

enum sieve_def_kind { DEF_COMMAND, DEF_TEST };

/* How sieve-lower.c turns a node into IR (see engine.h). */
enum sieve_lowering {
	LOWER_DEFAULT = 0, /* a test: TEST; a command: CMD (nothing
			      without exec), CALL with a block or cmd.sub */
	LOWER_IF,	   /* if/elsif/else chains: TEST, JMPF, JMP */
	LOWER_ELSIF,
	LOWER_ELSE,
	LOWER_STOP,   /* STOP */
	LOWER_RETURN, /* RETURN */
	LOWER_ALLOF,  /* the tests joined by JMPF */
	LOWER_ANYOF,  /* the tests joined by JMPT */
	LOWER_NOT,    /* the test, then NOT */
};

struct sieve_cmd_def {
	const char *name;
	enum sieve_def_kind kind;
	/* Positional arguments: 'S' string, 'L' string list, 'N' number;
	   lower case = optional (at the end). */
	const char *pos;
	/* Tests: 0 none, 1 exactly one test, 2 a test list. */
	int tests;
	/* Block: 0 none, 1 required. */
	int block;
	/* Compares with i;octet unless told otherwise (Pigeonhole's string
	   test); the rest default to i;ascii-casemap. */
	bool octet_default;
	/* Accepted tagged arguments (NULL-name terminated tables). */
	const struct sieve_tag_def *const *tags;
	/* Extra checks after the generic ones; -1 on an error (reported). */
	int (*validate)(struct sieve_valid *v, struct sieve_node *node);
	/* Commands: 0 ok, 1 stop the whole run, -1 runtime error
	   (reported in run). These are the IR's CMD/CALL handlers. */
	int (*exec)(struct sieve_run *run, struct sieve_node *node);
	/* Tests: 1 true, 0 false, -1 runtime error (IR TEST). */
	int (*test)(struct sieve_run *run, struct sieve_node *node);
	/* Control flow the lowering does itself (default: none). */
	enum sieve_lowering lower;
};

/* A tagged argument an extension adds to another extension's command. */
struct sieve_tag_addition {
	const char *command;
	const struct sieve_tag_def *tags;
};

struct sieve_extension {
	const char *name;
	const struct sieve_cmd_def *const *defs;	/* NULL terminated */
	const struct sieve_tag_addition *tag_additions; /* {NULL} ended */
	/* Extensions this one implies (imap4flags for imapflags). */
	const char *implies;
	/* Only usable in the testsuite. */
	bool testsuite_only;
};

/* The registry: one row per extension in sieve-ext.c. */
const struct sieve_extension *sieve_ext_find(const char *name);
/* Finds a command or test by name among the core and the extensions.
   ext_r names the extension that defines it (NULL for the core). */
const struct sieve_cmd_def *
sieve_def_find(const char *name, enum sieve_def_kind kind, const char **ext_r);
/* The tagged argument name of command cmd, among the definition's own
   tables and the additions of every extension. */
const struct sieve_tag_def *sieve_tag_find(const struct sieve_cmd_def *def,
					   const char *tag, const char **ext_r);

/* Common tag tables (sieve-ext.c). */
extern const struct sieve_tag_def sieve_tags_match[];
extern const struct sieve_tag_def sieve_tags_addrpart[];
extern const struct sieve_tag_def sieve_tags_index[];

/* ---- validator (sieve-validate.c) ---- */

struct sieve_valid {
	struct sieve_script *script;
	struct diag *diag;
	const struct config *config;
	bool testsuite;
	/* include: directories for :personal and :global */
	const char *personal_dir;
	const char *global_dir;
	int include_depth;
};

/* Validates the whole script. Returns 0, -1 on errors (in diag). */
int sieve_validate(struct sieve_valid *v);
bool sieve_requires(const struct sieve_script *script, const char *ext);
void sieve_error(struct sieve_valid *v, const struct sieve_node *node,
		 const char *fmt, ...) ATTR_PRINTF(3, 4);
void sieve_error_at(struct sieve_valid *v, int line, int col, const char *fmt,
		    ...) ATTR_PRINTF(4, 5);
/* Common checks used by definitions' validate(). */
int sieve_validate_match(struct sieve_valid *v, struct sieve_node *node,
			 size_t key_pos);
bool sieve_string_is_constant(const struct sieve_string *s);
/* Whether name is a syntactically valid variable name. */
bool sieve_variable_name_valid(const char *name, size_t len);
int sieve_validate_address(const char *addr);

/* ---- the interpreter (sieve-interp.c) ---- */

struct sieve_var {
	char *name;
	struct str value;
};

struct sieve_vars {
	struct sieve_var *v;
	size_t n, cap;
};

/* Per-run test environment for the testsuite. */
struct sieve_testsuite;

struct sieve_run {
	struct sieve_program *prog;
	struct sieve_script *script;
	struct rule_env *env;
	struct msg *msg;
	struct result *result;
	struct diag *diag;
	const struct config *config;
	struct sieve_vars *vars;    /* local variables of this script */
	struct sieve_vars *globals; /* include's global variables */
	struct match_captures caps;
	struct strlist flags; /* imap4flags internal variable */
	int redirects;
	int include_depth;
	/* the actions of this run, kept for conflict checks */
	bool has_reject, has_store, has_redirect, has_vacation;
	bool has_discard;
	struct sieve_testsuite *ts; /* NULL outside the testsuite */
	const struct sieve_vacation_store *vstore;
	struct sieve_vacation_store *vstore_owned;
	struct strlist *once_included; /* include :once bookkeeping */
	/* editheader: headers added (name: value, at top) and deleted */
	struct sieve_hdr_edit *edits;
	size_t nedits, capedits;
	/* duplicate: ids tracked in this run */
	struct strlist dup_seen;
	/* vnd.ackmail: ${ackmail.issue} as text */
	char ackmail_num[24];
};

struct sieve_hdr_edit {
	char *name, *value;
	bool add, last;
	int index;		 /* deleteheader :index, 0 all */
	struct sieve_node *node; /* deleteheader: value patterns */
};

/* Expands variables in s (when s->dynamic). Caller frees. */
char *sieve_expand(struct sieve_run *run, const struct sieve_string *s);
/* The text of an HTML body part for body :text, as Pigeonhole extracts
   it (sieve-html.c). Caller frees. */
char *sieve_html_text(const char *html, size_t len);
/* Expands a whole argument into a string list. */
void sieve_expand_list(struct sieve_run *run, const struct sieve_arg *arg,
		       struct strlist *out);
/* Runtime error: logged as file:line:col. Returns -1. */
int sieve_runtime_error(struct sieve_run *run, const struct sieve_node *node,
			const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Runs a lowered program (a script's, or a block's) in the current
   scope. 0 ended, 1 stopped (stop), -1 runtime error. */
int sieve_run_ir(struct sieve_run *run, const struct ir_program *prog);
/* Matches values against the keys of node (argument key_pos) with the
   node's match type and comparator; sets match variables on success.
   1 match, 0 none, -1 error. */
int sieve_match_values(struct sieve_run *run, struct sieve_node *node,
		       const struct strlist *values, size_t key_pos);
/* Variables. A value holds at most SIEVE_VAR_MAX_SIZE octets. */
#define SIEVE_VAR_MAX_SIZE 4096
/* The length of s (len octets) cut to at most max octets without
   splitting a UTF-8 character, as Pigeonhole cuts a variable value: when
   the octet after the cut is not ASCII, the character before the cut
   goes too. */
size_t sieve_utf8_truncate(const char *s, size_t len, size_t max);
const char *sieve_var_get(struct sieve_run *run, const char *name);
void sieve_var_set(struct sieve_run *run, const char *name, const char *value,
		   size_t len);
void sieve_vars_free(struct sieve_vars *vars);
/* Header values as tests see them, with editheader's edits applied. */
void sieve_header_values(struct sieve_run *run, const char *name, bool decoded,
			 struct strlist *out);
/* Adds an action to the result (sets file/line). Returns 0. */
int sieve_add_action(struct sieve_run *run, const struct sieve_node *node,
		     struct action *a);
/* vnd.ackmail: the value of ${ackmail.NAME} (name after "ackmail."),
   "" when unknown or support is off (ext-ackmail.c). */
const char *sieve_ackmail_var(struct sieve_run *run, const char *name,
			      size_t len);
/* The subaddress delimiter setting. */
const char *sieve_subaddress_delimiter(const struct config *config);

/* The flags of a :flags argument or of the internal variable. */
void sieve_flags_current(struct sieve_run *run, const struct sieve_node *node,
			 struct strlist *flags);
/* Adds the space-separated flags in s to list, without duplicates. */
void sieve_flags_add(struct strlist *list, const char *s);

/* The compiled program. */
struct sieve_program {
	struct sieve_script *script;
	const struct config *config;
	struct sieve_vacation_store *vstore_owned;
};

/* Loads and validates a script file (also used by include). */
int sieve_load(const char *path, const struct config *config, bool testsuite,
	       int include_depth, struct sieve_script **script_r,
	       struct diag *diag);
/* Runs a (lowered) script in the current variable scope: 0 ended or
   returned, 1 stopped, -1 runtime error. */
int sieve_run_script(struct sieve_run *run, struct sieve_script *script);

/* ---- lowering to the IR (sieve-lower.c) ---- */

/* Lowers a validated script into script->ir (included scripts are
   lowered when they are loaded, before the script including them). */
void sieve_lower(struct sieve_script *script);

/* Finalises a run: imap4flags keep flags, conflicts. 0 / -1. */
int sieve_run_finish(struct sieve_run *run);

#endif
