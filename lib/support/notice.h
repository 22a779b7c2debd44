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

#endif
