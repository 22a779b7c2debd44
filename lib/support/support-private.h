/*
 * support-private.h - the support context, for lib/support only.
 */
#ifndef ACKMAIL_SUPPORT_PRIVATE_H
#define ACKMAIL_SUPPORT_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "support.h"

struct support_ticket_rule;

struct support {
	const struct config *config;
	struct store *store;
	struct strlist addresses; /* our support addresses, lower case */
	struct strlist staff;	  /* addresses and @domains */
	struct strlist tracking;  /* tracking addresses */
	struct strlist ours;	  /* addresses + tracking: loop detection */
	char *secret, *hostname, *loop_header;
	pcre2_code *tag_re;
	long reopen_window, subject_window;
	bool match_subject, match_names, robot_replies, customers_only;
	int64_t first_issue;
	struct msg_classify_settings cls_set;
	struct support_ticket_rule **tickets;
	size_t ntickets;
	struct support_hooks hooks;
	char *error;
	bool transient;

	/* the current message */
	struct msg *msg;
	bool analyzed;
	struct support_facts facts;
	char *f_message_id, *f_from, *f_cust_name, *f_cust_company, *f_queue;
	char *f_reason, *f_display;
	struct strlist refs;	      /* In-Reply-To + References */
	struct strlist tickets_found; /* "system\tid" */
	/* the plan the rules made */
	bool plan_issue, plan_noissue, plan_new;
	int64_t plan_number;
	char *plan_queue;
	bool plan_state_set;
	enum store_issue_state plan_state;
	struct strlist plan_tags;
	struct strlist plan_tickets;
	bool plan_notice, plan_ack;
	/* acknowledge: every message (always=1), not only one that opened
	   or reopened its issue; its template= and lang= arguments */
	bool plan_ack_always;
	char *plan_ack_template, *plan_ack_lang;
	/* state=resolved|closed: tell the customer unless quiet=1, with
	   note= (default: a staff message's new text) and lang= */
	bool plan_state_quiet;
	char *plan_state_note, *plan_state_lang, *plan_note_text;
};

/* Replaces the error text (takes ownership of text) and its class. */
void support_set_error(struct support *support, bool transient, char *text);
/* The store's last error, kept with its class. Returns -1. */
int support_store_error(struct support *support, const char *error,
			const char **error_r);

/* support-msgid.c: for msg_classify_settings.is_our_message_id */
bool support_is_our_message_id(const char *id, void *ctx);

/* support-ticket.c */
void support_ticket_rules_free(struct support *support);
/* Whether a rule with this system and pattern was added already. */
bool support_ticket_rule_known(const struct support *support,
			       const char *system, const char *pattern);
void support_ticket_scan(struct support *support, struct msg *msg,
			 struct strlist *found);

#endif
