/*
 * util.h - the base of libackmail: memory, strings, logging, outcomes,
 * the clock, paths and the configuration file.
 *
 * Conventions used throughout libackmail:
 *   - functions returning int: -1 error, 0 no/false/end, 1 yes/more;
 *   - the reason of an error travels out in "const char **error_r", in
 *     storage that stays valid until the next call on the same object;
 *   - output parameters end in _r;
 *   - allocation never returns NULL (x* functions abort on exhaustion).
 */
#ifndef ACKMAIL_UTIL_H
#define ACKMAIL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ACKMAIL_VERSION "0.1.0"

#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN	  __attribute__((noreturn))
#define ATTR_UNUSED	  __attribute__((unused))
#define N_ELEMENTS(a)	  (sizeof(a) / sizeof((a)[0]))

/* ---- memory (xmalloc.c) ---- */

/* Allocators: never return NULL; abort with a message on exhaustion or on
   a size overflow in n * size. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
char *xasprintf(const char *fmt, ...) ATTR_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) ATTR_PRINTF(1, 0);
/* Frees *p and sets it to NULL. */
#define xfree(p)                                                               \
	do {                                                                   \
		free(p);                                                       \
		(p) = NULL;                                                    \
	} while (0)

/* ---- growable string (str.c) ---- */

/* Always NUL-terminated once initialised; may hold embedded NULs when
   used for bytes (len is authoritative). */
struct str {
	char *s;
	size_t len;
	size_t cap;
};

#define STR_INIT                                                               \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void str_init(struct str *str);
void str_free(struct str *str);
void str_reserve(struct str *str, size_t more);
void str_append(struct str *str, const char *s);
void str_append_n(struct str *str, const void *p, size_t n);
void str_appendc(struct str *str, char c);
/* Appends code point cp in UTF-8 (cp below 0x110000). */
void str_append_utf8(struct str *str, unsigned long cp);
void str_printf(struct str *str, const char *fmt, ...) ATTR_PRINTF(2, 3);
void str_vprintf(struct str *str, const char *fmt, va_list ap)
    ATTR_PRINTF(2, 0);
void str_truncate(struct str *str, size_t len);
/* Returns the buffer (caller frees) and resets str to empty. */
char *str_steal(struct str *str);
/* Returns the contents, "" for a never-used str. */
const char *str_c(const struct str *str);
/* Appends s as a JSON string literal (with quotes); NULL gives null. */
void str_append_json(struct str *str, const char *s);
/* Appends one more member of a JSON object already opened:
   ,"key":value, the value as str_append_json (NULL gives null). */
void str_append_json_member(struct str *str, const char *key,
			    const char *value);
/* The same for a time, as ISO 8601 UTC (clock_iso8601); 0 gives null. */
void str_append_json_time(struct str *str, const char *key, time_t t);

/* A growable list of owned strings, NULL-terminated. */
struct strlist {
	char **v;
	size_t n;
	size_t cap;
};

void strlist_add(struct strlist *l, const char *s);
void strlist_add_owned(struct strlist *l, char *s);
bool strlist_contains_case(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);
/* Splits s on any of the characters in seps, skipping empty fields. */
void strlist_split(struct strlist *l, const char *s, const char *seps);

/* Small string helpers. */
bool str_has_prefix_case(const char *s, const char *prefix);
bool str_has_suffix_case(const char *s, const char *suffix);
char *str_lower(char *s);
/* Trims ASCII whitespace on both ends, in place; returns s. */
char *str_trim(char *s);
/* Case-insensitive memmem. */
const char *memcasemem(const char *hay, size_t hlen, const char *needle,
		       size_t nlen);

/* ---- logging (log.c) ---- */

/* Log lines go to syslog (facility mail) and to standard error as
   "ackmail: ...": warnings and errors always, the rest when to_stderr is
   set. verbosity: 0 info, 1 debug. */
void log_init(const char *ident, bool to_stderr, int verbosity);
void log_set_stderr(bool to_stderr);
/* Redirect stderr output into a buffer (tests); NULL restores. */
void log_capture(struct str *buf);
void log_warn(const char *fmt, ...) ATTR_PRINTF(1, 2); /* adds strerror */
void log_warnx(const char *fmt, ...) ATTR_PRINTF(1, 2);
void log_info(const char *fmt, ...) ATTR_PRINTF(1, 2);
void log_debug(const char *fmt, ...) ATTR_PRINTF(1, 2);
void fatal(const char *fmt, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;
void fatalx(const char *fmt, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;

/* ---- outcomes (outcome.c) ---- */

/* What happened to a message, as a class. The mapping to sysexits(3)
   lives in outcome_exit_code() and nowhere else. */
enum outcome {
	OUTCOME_OK = 0,	     /* safely stored (or deliberately dropped) */
	OUTCOME_TEMPFAIL,    /* transient: the MTA must retry (75) */
	OUTCOME_PERMFAIL,    /* rejected permanently: bounce (77 / 67) */
	OUTCOME_KEEP_FAILED, /* even the fallback keep failed (75) */
	OUTCOME_USAGE,	     /* command line error (64) */
	OUTCOME_DATAERR,     /* bad input data, e.g. rules (65) */
	OUTCOME_CONFIG,	     /* configuration error (78) */
	OUTCOME_SOFTWARE,    /* our own bug (70) */
};

int outcome_exit_code(enum outcome outcome);
const char *outcome_name(enum outcome outcome);
/* The worse of two outcomes (TEMPFAIL beats OK, and so on). */
enum outcome outcome_worst(enum outcome a, enum outcome b);
/* Classify an errno from a delivery as an outcome: everything is
   transient except nothing; kept as a function so the policy is in one
   place. */
enum outcome outcome_from_errno(int err);

/* ---- time (clock.c) ---- */

/* The current time, or ACKMAIL_NOW (ISO 8601) when set, or the value
   given to clock_set_now(). */
time_t clock_now(void);
void clock_set_now(time_t t);
/* Monotonic milliseconds, for durations. */
uint64_t clock_monotonic_ms(void);
/* Parses "2026-12-01", "2026-12-01 09:00", "2026-12-01T09:00:00Z",
   "...+02:00"; without a zone the time is local (TZ). Returns 0 on
   success, -1 on a malformed value. */
int clock_parse_iso8601(const char *s, time_t *t_r);
/* Parses a duration "90", "90s", "15m", "48h", "2d", "1w". Returns 0/-1. */
int clock_parse_duration(const char *s, long *seconds_r);
/* Formats t as RFC 5322 date (local zone) into buf. */
void clock_rfc5322(time_t t, char *buf, size_t size);
/* Formats t as ISO 8601 UTC "2026-11-23T17:00:00Z". */
void clock_iso8601(time_t t, char *buf, size_t size);

/* ---- paths and files (path.c) ---- */

/* $HOME/rel, or the passwd home. Caller frees. */
char *path_home(const char *rel);
/* mkdir -p with the given mode; returns 0/-1 (errno set). */
int path_mkdirs(const char *path, int mode);
/* fsync the directory that contains path (or path itself when dir is
   true). Returns 0/-1. */
int path_fsync_dir(const char *path);
/* Reads a whole file into *buf_r (NUL-terminated) up to max bytes.
   Returns 0/-1 (errno set; EFBIG when larger than max). */
int path_read_file(const char *path, size_t max, char **buf_r, size_t *len_r);
/* Writes all of buf to fd, retrying on EINTR and short writes. 0/-1. */
int write_full(int fd, const void *buf, size_t len);
/* Reads all of fd into str. 0/-1. */
int read_full(int fd, struct str *str);

/* ---- configuration (config.c) ---- */

/* The git-config style file: [section] or [section "name"] headers,
   key = value lines, # and ; comments, values may be "quoted". Keys and
   section names are case-insensitive. */
struct config;

struct config_entry {
	const char *section;	/* lower case */
	const char *subsection; /* as written, or NULL */
	const char *key;	/* lower case */
	const char *value;
	const char *file;
	int line;
};

/* Loads path. Returns 0 on success, -1 with a "file:line: reason" error
   (caller frees *error_r). A NULL path gives an empty configuration. */
int config_load(const char *path, struct config **config_r, char **error_r);
struct config *config_new_empty(void);
void config_free(struct config **config);
/* Sets a value (overrides; used for command-line and test settings). */
void config_set(struct config *config, const char *section,
		const char *subsection, const char *key, const char *value);
/* The last value of section[.subsection].key, or NULL. */
const char *config_get(const struct config *config, const char *section,
		       const char *subsection, const char *key);
const char *config_get_default(const struct config *config, const char *section,
			       const char *key, const char *def);
/* Typed getters: return 0 and set *_r, 1 when unset (default applied),
   -1 when malformed (error names file:line). */
int config_get_bool(const struct config *config, const char *section,
		    const char *key, bool def, bool *value_r);
int config_get_long(const struct config *config, const char *section,
		    const char *key, long def, long *value_r);
int config_get_duration(const struct config *config, const char *section,
			const char *key, long def, long *seconds_r);
/* Iterates the entries in file order. Returns 1 while *entry_r is set. */
int config_next(const struct config *config, size_t *iter,
		const struct config_entry **entry_r);
/* The path the configuration was loaded from, or NULL. */
const char *config_path(const struct config *config);
/* Checks every key against the known schema; appends one
   "file:line: reason" line per problem to errors. Returns the number of
   problems. */
int config_validate(const struct config *config, struct str *errors);

#endif
