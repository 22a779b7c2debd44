/*
 * support-ack.h - acknowledgements and other answers to customers: the
 * gate that decides whether a message may be answered at all (RFC 3834,
 * RFC 5230, rate limits), the templates, the composed message, and its
 * queueing in the outbox.
 *
 * (Outbound part of lib/support; to be folded into support.h with the
 * support core.)
 */
#ifndef ACKMAIL_SUPPORT_ACK_H
#define ACKMAIL_SUPPORT_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

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
	void *robot;		  /* [ack] robot_pattern, compiled */
	long period;		  /* [ack] period, seconds (1d) */
	long daily_cap;		  /* [ack] daily_cap (20) */
	long global_per_minute;	  /* [ack] global_per_minute (30) */
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

#endif
