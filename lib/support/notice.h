/*
 * notice.h - change notices tracked until the customer answers, the
 * "call them" escalation, and the technicians' digest.
 *
 * notice-time.c: the support desk's clock - an explicit time zone,
 * business hours and holidays, and deadlines in hours, days or business
 * days.
 *
 * Return convention as everywhere: -1 error (reason in *error_r), 0 no,
 * 1 yes.
 */
#ifndef ACKMAIL_NOTICE_H
#define ACKMAIL_NOTICE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "msg.h"
#include "store.h"
#include "util.h"

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
#define NOTICES_ON_DUTY_TEMPLATE "on-duty"
#define NOTICES_ITEM_SUFFIX "-item"
/* The variables the reminder and each on-duty item are given, and those
   of the on-duty mail itself (for the strict check). NULL-terminated. */
extern const char *const notices_notice_vars[];
extern const char *const notices_on_duty_vars[];
/* t as the templates in lang show it: "en" "Wednesday 25 November 2026,
   09:00 CET", "de" "25.11.2026, 09:00 CET", others "2026-11-25 09:00
   CET"; in the desk's zone. */
void notices_time_text(const struct notice_time *nt, const char *lang,
		       time_t t, char *buf, size_t size);

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

/* Appends "Name: value\n", value RFC 2047 encoded when not ASCII. */
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
