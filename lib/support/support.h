/*
 * support.h - the support core: each message is classified, matched to
 * the issue it belongs to (or opens one), and recorded in the store.
 *
 * The pipeline, as `ackmail deliver` (and `ackmail poll`) runs it:
 *
 *   support_open(config, store)        once per process; returns 0 and a
 *                                      NULL support when [support] has no
 *                                      address: deliver is then a plain LDA
 *   support_analyze(support, msg)      before the rules: classification,
 *                                      sender's customer, matched issue
 *                                      and why, duplicate or not. Read
 *                                      only. Gives struct support_facts,
 *                                      what rules can test (vnd.ackmail)
 *   support_apply(support, action)     for every ACTION_SUPPORT action the
 *                                      rules produced: collects the plan
 *                                      (attach/open, state, tag, queue)
 *   support_record(support)            inside the delivery transaction:
 *                                      writes the message, opens/attaches
 *                                      the issue, applies the plan. A
 *                                      Message-ID seen before writes and
 *                                      triggers nothing (returns 0)
 *   support_message_done(support)      forget the message (next one)
 *
 * Matching order (first hit wins; every decision logged with its reason
 * and stored as messages.match_reason): 1. our signed Message-ID in
 * In-Reply-To/References, 2. any Message-ID recorded for an issue (also a
 * bounce's or MDN's original Message-ID), or of a change notice about
 * an issue (facts.notice names the notice in any case), 3. the subject tag [#N]
 * when the sender belongs to the issue's customer (a stranger gets a new issue
 * linked to N), 4. ticket rules (support_add_ticket_rule), 5. optionally
 * the same sender and normalised subject within [support] subject_window,
 * 6. robots only: a robot reply from a customer goes to the issue we last
 * wrote to that customer. Never Thread-Index.
 *
 * Return convention: -1 error (*error_r valid until the next call on
 * support), 0 no, 1 yes. Errors of the store keep their class:
 * support_error_transient() tells the caller to exit EX_TEMPFAIL.
 */
#ifndef ACKMAIL_SUPPORT_H
#define ACKMAIL_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "msg.h"
#include "store.h"
#include "util.h"

struct support;
struct action;

/* How a message found its issue (stable names: match_reason starts with
   them, rules can test them). */
enum support_match {
	SUPPORT_MATCH_NONE = 0,
	SUPPORT_MATCH_SIGNED_ID,   /* "signed-id" */
	SUPPORT_MATCH_KNOWN_ID,	   /* "known-id" */
	SUPPORT_MATCH_TAG,	   /* "tag" */
	SUPPORT_MATCH_TICKET,	   /* "ticket-rule" */
	SUPPORT_MATCH_SUBJECT,	   /* "subject" */
	SUPPORT_MATCH_ROBOT_REPLY, /* "robot-reply" */
	SUPPORT_MATCH_RULE,	   /* "rule": an action named the issue */
};

const char *support_match_name(enum support_match match);

/* What the rules can test about a message (vnd.ackmail facts). Owned by
   the support context; valid until support_message_done(). */
struct support_facts {
	enum msg_class class;
	const char *class_name;	  /* msg_class_name() */
	const char *class_reason; /* which classifier rule decided */
	bool robot;		  /* any class but human */
	bool staff;		  /* from a [support] staff address */
	bool tracking;		  /* envelope recipient is the tracking
				     address: the notices engine's mail */
	bool duplicate;		  /* this Message-ID is already recorded */
	const char *message_id;	  /* or a synthetic id for mail without */
	const char *from_addr;	  /* normalised sender address, or "" */

	int64_t customer_id; /* 0: unknown sender */
	const char *customer_name;
	const char *customer_company;
	bool customer_vip;
	const char *customer_how; /* "address", "domain", "name" */

	int64_t issue; /* matched issue number, 0: none */
	enum support_match match;
	const char *match_reason; /* "tag [#1042] from the customer" */
	enum store_issue_state issue_state; /* of the matched issue */
	const char *issue_queue;
	/* what attaching will do: reopen a resolved/closed issue, or open a
	   new issue linked to link_to instead (stranger, closed too long) */
	bool reopen;
	int64_t link_to;
	/* the message answers a change notice of ours (In-Reply-To or
	   References): its id; notice_issue its issue (0: on no issue) */
	int64_t notice;
	int64_t notice_issue;
	const char *failed_recipient;	 /* bounces */
	const char *original_message_id; /* bounces, MDNs */
};

/* Opens the support core over store (not owned). Returns 1 and
   *support_r, 0 when [support] address is not configured (*support_r
   NULL: behave as a plain LDA), -1 on a configuration error (bad
   tag_pattern, bad durations). */
int support_open(const struct config *config, struct store *store,
		 struct support **support_r, const char **error_r);
void support_close(struct support **support);
/* True when the last error came from a transient store failure. */
bool support_error_transient(const struct support *support);
/* Sets the store (deliver opens it lazily). */
void support_set_store(struct support *support, struct store *store);

/* Settings the classifier needs (loop header, our signed ids). */
const struct msg_classify_settings *
support_classify_settings(struct support *support);

/* ---- signed Message-IDs (support-msgid.c) ---- */

/* A new Message-ID (without brackets) for mail we send about issue:
   "ackmail.<issue>.<kind>.<unique>.<sig>@<hostname>", sig a keyed
   HMAC-SHA256 over the rest with [support] secret. kind: "ack",
   "notice", "reply", ... (letters and digits). Caller frees. */
char *support_message_id_new(struct support *support, int64_t issue,
			     const char *kind);
/* 1 when id is one of ours with a valid signature (*issue_r its issue, 0
   for mail about no issue: digests, on-duty mails),
   0 otherwise. */
int support_message_id_verify(struct support *support, const char *id,
			      int64_t *issue_r);

/* ---- the customer register's import formats (support-import.c) ---- */

/* One customer record read from a file; addresses include "@domain"
   entries, phones is one number a line, exactly as given. */
struct support_import_row {
	char *name, *company, *notes, *phones;
	struct strlist addresses;
	bool vip;
};

/* Called for each record that has a name or an address; returns -1 to
   stop the import with *error_r set. */
typedef int support_import_cb(const struct support_import_row *row,
			      void *context, const char **error_r);

/* CSV with a header row (name, company, email/address, domain, phone/
   mobile/tel, notes, vip; case-insensitive; several addresses split on
   space, ';' or '|'), and vCard (FN or N, ORG, EMAIL, TEL, NOTE). text is
   NUL-terminated. Return -1 when cb did, else 0. */
int support_import_csv(const char *text, support_import_cb *cb, void *context,
		       const char **error_r);
int support_import_vcard(const char *text, support_import_cb *cb, void *context,
			 const char **error_r);
void support_import_row_clear(struct support_import_row *row);
/* Appends a phone number as a new line of *phones (NULL or empty p: no
   change). */
void support_phones_add(char **phones, const char *p);

/* ---- ticket rules (support-ticket.c) ---- */

/* Adds a rule that extracts another system's ticket number from the
   subject (and, when in_body, the body text): pattern is a PCRE2 regex
   whose first capture group (or whole match) is the number; system names
   the namespace ("vendor"). Found numbers are mapped to the issue the
   message ends up in; a later message with the same number joins it.
   Returns 0, -1 on a bad pattern. The rule languages call this while
   loading rules. */
int support_add_ticket_rule(struct support *support, const char *system,
			    const char *pattern, bool in_body,
			    const char **error_r);

/* ---- the pipeline (support.c) ---- */

/* Classifies msg and matches it. Queries the store, writes nothing.
   Returns 0 and *facts_r, -1 on a store error. */
int support_analyze(struct support *support, struct msg *msg,
		    const struct support_facts **facts_r, const char **error_r);

/* The facts of the analysed message, or NULL before support_analyze()
   (the rule languages read them through env->support). */
const struct support_facts *support_facts(const struct support *support);

/* Applies one ACTION_SUPPORT action to the plan of the current message.
   Operations (action->op, arguments "key=value" in action->args):
     issue        attach to the matched issue, or open a new one (never
		  for robots); args: queue=NAME, number=N (attach to N),
		  new=1 (open a new issue even when one matched)
     noissue      record the message without an issue
     state        state=open|waiting|resolved|closed (the issue's state
		  after recording); when it becomes resolved or closed
		  the closed hook tells the customer (note=TEXT,
		  lang=CODE), unless quiet=1
     tag          tag=WORD (adds a tag to the issue)
     ticket       system=NAME id=VALUE (maps a foreign ticket number)
     ticket_rule  system=NAME pattern=REGEX [body=1]: adds a ticket
		  rule (once) and scans the message with it
     acknowledge  (or ack) the recorded hook acknowledges a message
		  that opened or reopened its issue; always=1: every
		  message; template=NAME, lang=CODE
     notice       the tracking hook records the message's notices
   Returns 0, -1 with an error on an unknown op or bad argument. */
int support_apply(struct support *support, const struct action *action,
		  const char **error_r);

/* Records the current message and carries out the plan. Call inside the
   delivery transaction (store_begin .. store_commit). Returns 1 recorded,
   0 duplicate (nothing written, nothing triggered), -1 error. *issue_r
   (may be NULL) the issue the message was put on (0: none). */
int support_record(struct support *support, int64_t *issue_r,
		   const char **error_r);

/* Forgets the current message. */
void support_message_done(struct support *support);

/* ---- hooks for the other support engines ---- */

struct support_hooks {
	/* after a message was recorded on an issue (inside the
	   transaction): the acknowledgement gate (h/outbound) */
	int (*recorded)(void *ctx, struct msg *msg,
			const struct support_facts *facts, int64_t issue,
			bool opened, const char **error_r);
	/* mail to the tracking address (h/notices) */
	int (*tracking)(void *ctx, struct msg *msg,
			const struct support_facts *facts, int64_t issue,
			const char **error_r);
	/* `ackmail issue close`, or a rule setting the issue resolved or
	   closed during support_record(): the "resolved" message
	   (h/outbound; support_plan_note() gives a rule's note) */
	int (*closed)(void *ctx, int64_t issue, const char **error_r);
	void *ctx;
};

/* Whether the plan of the current message asks for an acknowledgement
   (a rule's "acknowledge"/"ack" action): 0 no, 1 when the message
   opened or reopened its issue (the standard flow), 2 on every message
   (always=1). Its template= and lang= arguments in *template_r and
   *lang_r, NULL when not given. For the recorded hook. */
int support_plan_ack(const struct support *support, const char **template_r,
		     const char **lang_r);
/* For the closed hook while a message is recorded (a rule set the issue
   resolved or closed): the note to tell the customer (the rule's note=,
   else the new text of a staff message, else NULL) and its lang= in
   *lang_r (NULL: the default). NULL note and lang outside a delivery. */
const char *support_plan_note(const struct support *support,
			      const char **lang_r);
/* What the plan says for the other engines: send the acknowledgement /
   track as a notice. Valid between support_apply() and
   support_message_done(); the hooks read them. */
bool support_plan_acknowledge(const struct support *support);
bool support_plan_notice(const struct support *support);

/* Installs hooks (copied). */
void support_set_hooks(struct support *support,
		       const struct support_hooks *hooks);
const struct support_hooks *support_get_hooks(const struct support *support);

/* ---- state changes from commands (support-issue.c) ---- */

/* Sets the state of issue number (closed_at kept in step). Calls the
   closed hook when the new state is closed or resolved and tell is true.
   1 done, 0 no such issue, -1. */
int support_issue_set_state(struct support *support, int64_t number,
			    enum store_issue_state state, bool tell,
			    const char **error_r);

/* ======== acknowledgements and other answers to customers ========
 * The gate that decides whether a message may be answered at all (RFC
 * 3834, RFC 5230, rate limits), the templates, the composed message, and
 * its queueing in the outbox (support-ack.c, support-gate.c,
 * support-template.c). */

struct config;
struct msg;
struct store;

/* ---- settings (support-ack.c) ---- */

struct ack_settings {
	bool enabled;		  /* [ack] enabled (default yes) */
	struct strlist addresses; /* [support] address, normalised */
	struct strlist staff;	  /* [support] staff: addresses, @domains */
	char *name;		  /* [support] name: our display name */
	char *phone;		  /* [support] phone */
	char *business_hours;	  /* [support] business_hours */
	char *response_time;	  /* [support] response_time */
	char *hostname;		  /* [support] hostname: Message-ID right */
	char *secret;		  /* [support] secret: Message-ID signing */
	char *loop_header;	  /* [support] loop_header */
	char *envelope_sender;	  /* [ack] envelope_sender: "" is <> */
	char *template_dir;	  /* [ack] template_dir */
	char *template;		  /* [ack] template (default "ack") */
	/* [notices] reminder_template, on_duty_template, lang: checked
	   with the variables notice.c gives them; *_set when the
	   configuration names them (then they must exist) */
	char *reminder_template, *on_duty_template, *notice_lang;
	bool reminder_template_set, on_duty_template_set, notice_lang_set;
	void *robot;		/* [ack] robot_pattern, compiled */
	long period;		/* [ack] period, seconds (1d) */
	long daily_cap;		/* [ack] daily_cap (20) */
	long global_per_minute; /* [ack] global_per_minute (30) */
	/* recognises the Message-IDs the support core signs (set by the
	   caller; NULL: only ack_message_id_new's own) */
	bool (*is_our_id)(const char *id, void *ctx);
	void *is_our_id_ctx;
};

/* Loads the settings. Returns 0, or -1 with an error (caller frees). */
int ack_settings_load(const struct config *config, struct ack_settings *s,
		      char **error_r);
void ack_settings_free(struct ack_settings *s);

/* ---- the gate (support-gate.c) ---- */

/* Who an automatic answer to msg would go to: the envelope sender, else
   Return-Path, else From. Returns 1 with *addr_r (caller frees), 0 when
   there is nobody to answer (null return path) with a reason. */
int ack_gate_recipient(struct msg *msg, char **addr_r, const char **reason_r);

/* The message rules: 1 when msg may be answered, 0 when it must not,
   with a static reason in *reason_r. extra: more addresses of ours
   (vacation :addresses), may be NULL. */
int ack_gate_message(const struct ack_settings *s, struct msg *msg,
		     const struct strlist *extra, const char **reason_r);

/* The rate limits for an answer to sender (normalised) about issue (0
   none) at now: one per sender and issue per period, daily_cap per
   sender, global_per_minute for everyone (logged loudly when hit).
   Returns 1 allowed, 0 limited (*reason_r), -1 store error. */
int ack_gate_limits(const struct ack_settings *s, struct store *store,
		    const char *sender, int64_t issue, time_t now,
		    const char **reason_r, const char **error_r);

/* ---- signed Message-IDs (support-ack.c) ---- */

/* A new Message-ID (without brackets) for an answer about issue, signed
   with [support] secret: "ackmail.ISSUE.TIME.RANDOM.MAC@hostname".
   Caller frees. */
char *ack_message_id_new(const struct ack_settings *s, int64_t issue);
/* True when id (with or without brackets) is one ackmail made with this
   secret. */
bool ack_message_id_is_ours(const struct ack_settings *s, const char *id);

/* ---- templates (support-template.c) ---- */

/* Template text: an optional header block ("Subject: ..." lines then an
   empty line; only Subject is used) and a body, with variables
   {{name}} and {{name|fallback text}}; "{{{{" gives "{{". Names are
   letters, digits and "_". */
struct tmpl_var {
	const char *name;
	const char *value; /* NULL or "" uses the fallback */
	bool lines;	   /* a text of several lines (a notice's body,
			      the on-duty mail's list): keeps its line
			      breaks in the body */
};

/* Renders text with vars into subject_r (NULL when the template has no
   Subject) and body_r (caller frees both). Every value has CR, LF and
   other control characters replaced by spaces before it is inserted;
   a value marked lines keeps its LFs in the body (CR and other control
   characters still go, trailing line breaks too), never in the
   subject.
   Returns 0, or -1 on a syntax error (unterminated {{, unknown
   variable when strict) with *error_r (caller frees). */
int tmpl_render(const char *text, size_t len, const struct tmpl_var *vars,
		size_t nvars, bool strict, char **subject_r, char **body_r,
		char **error_r);
/* Neutralises a value for a header or template: control characters
   (CR, LF, TAB, ...) become spaces, runs of spaces are squeezed, ends
   trimmed. Caller frees. */
char *tmpl_clean_value(const char *s);
/* Finds and reads template name.lang.txt (lang NULL or missing: "en",
   then name.txt) from dir. Returns 0 with the text (caller frees) and
   its path, or -1 with an error (caller frees). */
int tmpl_load(const char *dir, const char *name, const char *lang,
	      char **text_r, char **path_r, char **error_r);

/* Checks every template (*.txt) in s->template_dir: renders it strictly
   with the variables its user provides (ack_compose; notice send for
   notice*; notices_escalate for the reminder, on-duty and on-duty item
   templates), so that an unknown variable or a syntax error shows at
   `ackmail check`, not in a customer's mail. A reminder or on-duty
   template the configuration names must exist.
   Appends one "path: reason" line per problem to errors. Returns the
   number of problems. */
int ack_templates_check(const struct ack_settings *s, struct str *errors);

/* ---- composing and queueing (support-ack.c) ---- */

struct ack_request {
	const char *kind;	 /* "ack", "vacation", "resolution" */
	struct msg *msg;	 /* what we answer, or NULL (resolution) */
	int64_t issue;		 /* 0: none */
	const char *template;	 /* template name, NULL: settings */
	const char *lang;	 /* "en", "de", ...; NULL: "en" */
	const char *to;		 /* recipient; NULL: ack_gate_recipient */
	const char *to_name;	 /* display name; NULL: From's */
	const char *subject;	 /* subject to answer; NULL: msg's */
	const char *in_reply_to; /* Message-ID to refer to, or NULL */
	const char *note;	 /* {{note}}: what was done */
	/* vacation: the Sieve action's own texts (no template) */
	const char *vac_subject, *vac_body, *vac_from;
	bool vac_mime; /* vac_body is a MIME entity (:mime) */
	const struct strlist *extra_addresses;
	bool skip_gate;		/* resolution notices from staff */
	const char *message_id; /* ours, signed by the support core;
				   NULL: ack_message_id_new() */
};

/* Composes the answer: From our address, To the customer, Subject from
   the template ("[#1234] original subject": reply prefixes and old tags
   removed), In-Reply-To, References, a signed Message-ID, Date,
   Auto-Submitted: auto-replied, X-Auto-Response-Suppress: All,
   Precedence: bulk, our loop header, MIME-Version, text/plain UTF-8
   quoted-printable, RFC 2047 for non-ASCII headers. The original
   message is never quoted. Returns 0 with the message (LF line ends,
   caller frees) and its Message-ID (caller frees), or -1. */
int ack_compose(const struct ack_settings *s, const struct ack_request *req,
		const char *to, char **data_r, size_t *len_r,
		char **message_id_r, char **error_r);

/* Subject of an answer about issue: "[#1234] subject" without reply
   prefixes or earlier tags. Caller frees. */
char *ack_subject_clean(const char *subject);

/* Gates (unless skip_gate), composes and queues the answer in the
   outbox (in the caller's transaction), and records the decision in
   the acknowledgement log. Every suppression is logged with its
   reason. Returns 1 queued (*outbox_id_r), 0 suppressed or not
   composable (*reason_r, static or valid until the next call; a broken
   template is logged and never fails a delivery), -1 store error
   (*error_r). */
int ack_queue(struct store *store, const struct ack_settings *s,
	      const struct ack_request *req, int64_t *outbox_id_r,
	      const char **reason_r, const char **error_r);

/* ======== change notices, escalation and the digest ========
 * Change notices tracked until the customer answers, the "call them"
 * escalation, and the technicians' digest (notice.c, notice-mail.c,
 * digest.c); the support desk's clock: an explicit time zone, business
 * hours and holidays, deadlines in hours, days or business days
 * (notice-time.c). */

/* ---- notice-time.c ---- */

#define NOTICE_TIME_MAX_SPANS 4

/* One opening interval of a weekday, in minutes after local midnight. */
struct notice_time_span {
	int start, end; /* 0..1440, start < end */
};

struct notice_time {
	char *zone; /* TZ value, or NULL for the process zone */
	/* per weekday (0 = Sunday) up to NOTICE_TIME_MAX_SPANS spans */
	struct notice_time_span spans[7][NOTICE_TIME_MAX_SPANS];
	int nspans[7];
	/* holidays: year*10000 + month*100 + day, or month*100 + day
	   (every year) */
	int *holidays;
	size_t nholidays;
	bool business_deadlines; /* [notices] deadline_unit = business */
	char errbuf[256];
};

/* Sets up nt from [support] timezone, business_hours, holidays and
   [notices] deadline_unit (config may be NULL: process zone, Mon-Fri
   08:00-17:00, no holidays). Returns 0, or -1 with a reason. */
int notice_time_init(struct notice_time *nt, const struct config *config,
		     const char **error_r);
void notice_time_deinit(struct notice_time *nt);
/* Individual setters, used by notice_time_init and by tests. */
int notice_time_set_zone(struct notice_time *nt, const char *zone,
			 const char **error_r);
/* "Mon-Fri 08:00-17:00", "Mon-Thu 08:00-12:00 13:00-17:00, Fri
   08:00-14:00", "24/7". Replaces the hours. 0/-1. */
int notice_time_set_hours(struct notice_time *nt, const char *spec,
			  const char **error_r);
/* "2026-12-24 2026-12-25 12-31" (space or comma separated; MM-DD recurs
   every year). Replaces the holidays. 0/-1. */
int notice_time_set_holidays(struct notice_time *nt, const char *spec,
			     const char **error_r);

/* Local broken-down time of t in the desk's zone. */
void notice_time_local(const struct notice_time *nt, time_t t, struct tm *tm);
/* mktime() in the desk's zone (tm_isdst -1: the zone decides). */
time_t notice_time_mktime(const struct notice_time *nt, struct tm *tm);
/* Formats t in the desk's zone with strftime(fmt). */
void notice_time_format(const struct notice_time *nt, time_t t, const char *fmt,
			char *buf, size_t size)
    __attribute__((format(strftime, 3, 0)));
/* Parses an absolute time: ISO 8601 forms of clock_parse_iso8601(),
   read in the desk's zone when they carry none. 0/-1. */
int notice_time_parse(const struct notice_time *nt, const char *s, time_t *t_r);
/* True when t falls inside business hours on a business day. */
bool notice_time_is_business(const struct notice_time *nt, time_t t);
/* True when the local date of t is a holiday. */
bool notice_time_is_holiday(const struct notice_time *nt, time_t t);

enum notice_time_unit {
	NOTICE_TIME_SECONDS,	   /* elapsed time: s, m, h, w */
	NOTICE_TIME_DAYS,	   /* calendar days: same wall time */
	NOTICE_TIME_BUSINESS_SECS, /* business hours and minutes */
	NOTICE_TIME_BUSINESS_DAYS, /* business days */
};

/* Parses a relative deadline: "48h", "90m", "2d", "1w", "3bd", "3
   business days", "16bh", "4 business hours". With business_deadlines
   set, plain "h" and "d" count business time. 0/-1. */
int notice_time_parse_span(const struct notice_time *nt, const char *s,
			   long *amount_r, enum notice_time_unit *unit_r);
/* start moved by amount (negative: backwards) in unit. Business time
   only counts inside business hours on business days: 2 business days
   from Friday 16:00 with Mon-Fri 08:00-17:00 is Tuesday 16:00. */
time_t notice_time_add(const struct notice_time *nt, time_t start, long amount,
		       enum notice_time_unit unit);
/* The deadline of a notice sent at now: spec is relative (a span) or
   absolute (a date); NULL uses def_spec. When change_at is set (not
   -1), the deadline is at the latest lead_spec before it (never before
   now). Returns 0, or -1 with a reason. */
int notice_time_deadline(const struct notice_time *nt, time_t now,
			 const char *spec, const char *def_spec,
			 time_t change_at, const char *lead_spec,
			 time_t *deadline_r, const char **error_r);

/* ---- notice.c: the lifecycle ---- */

/* The templates of reminders and on-duty mails in [ack] template_dir:
   [notices] reminder_template (a mail to the customer about one notice)
   and on_duty_template (one mail per escalation run; each notice in it
   is rendered with NAME-item), in [notices] lang. A template that is
   missing or does not render is logged and the built-in text goes out
   instead: an escalation is never lost to a template. */
#define NOTICES_REMINDER_TEMPLATE "reminder"
#define NOTICES_ON_DUTY_TEMPLATE  "on-duty"
#define NOTICES_ITEM_SUFFIX	  "-item"
/* The variables the reminder and each on-duty item are given, and those
   of the on-duty mail itself (for the strict check). NULL-terminated. */
extern const char *const notices_notice_vars[];
extern const char *const notices_on_duty_vars[];
/* t as the templates in lang show it: "en" "Wednesday 25 November 2026,
   09:00 CET", "de" "25.11.2026, 09:00 CET", others "2026-11-25 09:00
   CET"; in the desk's zone. */
void notices_time_text(const struct notice_time *nt, const char *lang, time_t t,
		       char *buf, size_t size);

/* Queues one message for sending (the outbox). data is a whole RFC 5322
   message with LF line ends; rcpts the envelope recipients; kind
   "notice", "reminder", "escalation", "digest". Returns 0/-1. */
struct notice_mailer {
	int (*queue)(void *ctx, const char *kind, const char *from,
		     const struct strlist *rcpts, const char *data, size_t len,
		     const char *message_id, int64_t issue,
		     const char **error_r);
	/* a new Message-ID (without brackets) for mail about issue (0:
	   none), kind "notice", "reminder", "digest"...; caller frees */
	char *(*message_id)(void *ctx, int64_t issue, const char *kind);
	void *ctx;
};

struct notices;

/* Reads [notices], [support] and [digest] from config (may be NULL) and
   works on store (not owned). 0, or -1 with a reason. */
int notices_init(const struct config *config, struct store *store,
		 struct notices **notices_r, const char **error_r);
void notices_deinit(struct notices **notices);
void notices_set_mailer(struct notices *notices,
			const struct notice_mailer *mailer);
const struct notice_time *notices_time(const struct notices *notices);
struct store *notices_store(const struct notices *notices);
/* How many mails (reminders, on-duty mails) this engine queued. */
int notices_queued(const struct notices *notices);
/* [notices] lang: the language of the notice templates ("en"). */
const char *notices_lang(const struct notices *notices);

/* True when addr is a [support] staff address (or in a staff @domain). */
bool notices_is_staff(const struct notices *notices, const char *addr);
/* True when addr is the tracking address or a +notice sub-address of it
   or of a support address. */
bool notices_is_tracking(const struct notices *notices, const char *addr);
/* True when addr is one of our own addresses (support, tracking,
   staff). */
bool notices_is_ours(const struct notices *notices, const char *addr);

struct notice_new {
	const char *to, *to_name, *cc, *subject, *message_id, *sender;
	const char *source; /* "send" | "bcc" */
	int64_t customer, issue;
	time_t sent_at;
	const char *deadline; /* span or date; NULL: [notices] deadline */
	time_t change_at;     /* -1: none */
};

/* The deadline notices_record gives a notice sent at sent_at (spec:
   as notice_new.deadline; change_at -1 for none). 0, or -1 with a
   reason. */
int notices_deadline(struct notices *notices, time_t sent_at, const char *spec,
		     time_t change_at, time_t *deadline_r,
		     const char **error_r);
/* Records a waiting notice. Returns 1 added, 0 the same Message-ID and
   recipient were already recorded (*id_r set either way), -1. */
int notices_record(struct notices *notices, const struct notice_new *nn,
		   int64_t *id_r, const char **error_r);

enum notice_reply_kind {
	NOTICE_REPLY_HUMAN,
	NOTICE_REPLY_AUTOREPLY,
	NOTICE_REPLY_BOUNCE,
	NOTICE_REPLY_MDN,
	NOTICE_REPLY_CALENDAR,
};

/* One incoming message, as the notices engine sees it. */
struct notice_reply {
	enum notice_reply_kind kind;
	time_t at;
	const char *from;      /* sender address */
	const char *from_name; /* sender's display name, or NULL */
	const char *message_id;
	/* In-Reply-To ids, or the last References id: the parent */
	const struct strlist *parents;
	bool threaded;			 /* it has In-Reply-To or References */
	const char *original_message_id; /* bounces, MDNs */
	const char *failed_recipient;	 /* bounces */
	int64_t issue;			 /* subject tag, 0 none */
	int64_t customer;		 /* sender's customer, 0 unknown */
	time_t away_until;    /* auto-replies: return date, 0 unknown */
	const char *text;     /* the new text of a human reply */
	const char *subject;  /* its subject, or NULL */
	const char *partstat; /* calendar: ACCEPTED, DECLINED, ... */
};

/* Applies an incoming message to the notices it answers. Returns the
   number of notices whose state changed, or -1. */
int notices_reply(struct notices *notices, const struct notice_reply *reply,
		  const char **error_r);

/* Moves every waiting (or seen) notice past its deadline to "call them"
   and sends the due reminders; mails the on-duty technician about the
   newly escalated ones. Idempotent. Returns the number escalated, -1.
   *escalated_r (may be NULL) gets the notices escalated now. */
int notices_escalate(struct notices *notices, time_t now,
		     struct store_notice_list *escalated_r,
		     const char **error_r);

/* By hand: acknowledge (who: the technician), record a call (closes the
   notice), close without a call. 1 done, 0 no such notice or not in a
   state that allows it, -1. */
int notices_ack(struct notices *notices, int64_t id, const char *who,
		const char *note, time_t now, const char **error_r);
int notices_called(struct notices *notices, int64_t id, const char *note,
		   time_t now, const char **error_r);
int notices_close(struct notices *notices, int64_t id, const char *note,
		  time_t now, const char **error_r);

/* ---- notice-mail.c: incoming mail ---- */

/* What the support core already knows about a message (all optional). */
struct notice_facts {
	const char *from; /* normalised sender */
	int64_t issue;	  /* matched issue */
	int64_t customer; /* sender's customer */
	const struct msg_classify_settings *classify;
};

/* One incoming message: a staff member's copy to the tracking address
   records a notice for each customer recipient (To and Cc; the deadline
   from a "deadline:" line of the body or the configuration); mail to
   the tracking address from anyone else records nothing. Any other
   message may end notices (notices_reply). facts may be NULL. Returns
   the number of notices recorded or changed, or -1. */
int notices_handle_message(struct notices *notices, struct msg *msg,
			   const struct notice_facts *facts,
			   const char **error_r);
/* The return date stated in an out-of-office text ("until 12.03.2026",
   "back on March 12", "bis Montag"...), as local midnight in the desk's
   zone; 0 when none is found. sent: when the reply came (for dates
   without a year and for weekdays). */
time_t notices_away_until(const struct notice_time *nt, const char *text,
			  time_t sent);

/* Appends "Name: value
", value RFC 2047 encoded when not ASCII. */
void notices_append_header(struct str *out, const char *name,
			   const char *value);
/* The header block of mail we send, up to MIME-Version (no
   Auto-Submitted: out-of-office replies must come back to us). */
void notices_compose_head(struct str *out, const char *from, const char *to,
			  const char *cc, const char *subject,
			  const char *message_id, const char *in_reply_to,
			  time_t date);

/* Human text: "2 days", "48 h", "90 min". */
void notices_span_text(long seconds, char *buf, size_t size);
/* The first lines of text (quotes and blank lines dropped), at most max
   bytes, cut at a UTF-8 boundary. Caller frees. */
char *notices_excerpt(const char *text, size_t max);
/* True when the new text of a reply asks a question rather than
   agreeing. */
bool notices_text_is_question(const char *text);
/* Parses the first "[#1234]" tag in subject. 1 found, 0. */
int notices_subject_tag(const char *subject, int64_t *issue_r);

/* ---- digest.c: the technicians' digest ---- */

struct digest;

/* Gathers today's digest at now ([digest] waiting_age, default 1d;
   quiet_after, default 30d). 0, or -1 (*d_r still to be freed). */
int digest_build(struct notices *notices, const struct config *config,
		 time_t now, struct digest **d_r, const char **error_r);
void digest_free(struct digest **d);
/* The number of notices to call about. */
size_t digest_calls(const struct digest *d);
/* Plain text for a terminal (and the text/plain part). */
void digest_text(const struct digest *d, struct str *out);
/* A whole HTML document: inline CSS, no scripts, no remote images. */
void digest_html(const struct digest *d, struct str *out);
/* One JSON object per line: a summary, then one per item. */
void digest_json(const struct digest *d, struct str *out);

#endif
