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

#endif
