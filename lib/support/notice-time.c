/*
 * notice-time.c - the support desk's clock: an explicit time zone (TZ is
 * switched around each conversion, as ackmail is single-threaded),
 * business hours and holidays, and deadlines in elapsed hours, calendar
 * days, business hours or business days.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

/* Enough days to cross a year of holidays without looping forever when
   no business time is configured at all. */
#define MAX_DAYS_WALKED 800

static char *tz_saved;
static bool tz_saved_set;
static int tz_depth;

/* Switches the process zone to the desk's zone until tz_pop(). */
static void
tz_push(const struct notice_time *nt)
{
	const char *old;

	if (nt->zone == NULL)
		return;
	if (tz_depth++ > 0)
		return;
	old = getenv("TZ");
	tz_saved_set = old != NULL;
	tz_saved = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", nt->zone, 1);
	tzset();
}

static void
tz_pop(const struct notice_time *nt)
{
	if (nt->zone == NULL)
		return;
	if (--tz_depth > 0)
		return;
	if (tz_saved_set)
		setenv("TZ", tz_saved, 1);
	else
		unsetenv("TZ");
	xfree(tz_saved);
	tzset();
}

static int ATTR_PRINTF(3, 4)
    fail(struct notice_time *nt, const char **error_r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nt->errbuf, sizeof(nt->errbuf), fmt, ap);
	va_end(ap);
	*error_r = nt->errbuf;
	return -1;
}

/* A POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3" or "EST5". */
static bool
is_posix_tz(const char *s)
{
	size_t n = 0;

	if (*s == '<') {
		const char *e = strchr(s, '>');

		if (e == NULL)
			return false;
		s = e + 1;
	} else {
		while (isalpha((unsigned char)s[n]))
			n++;
		if (n < 3)
			return false;
		s += n;
	}
	if (*s == '+' || *s == '-')
		s++;
	return isdigit((unsigned char)*s);
}

int
notice_time_set_zone(struct notice_time *nt, const char *zone,
		     const char **error_r)
{
	const char *dir = getenv("TZDIR");
	const char *name;
	char *path;
	struct stat st;
	bool ok;

	xfree(nt->zone);
	if (zone == NULL || *zone == '\0')
		return 0;
	name = *zone == ':' ? zone + 1 : zone;
	if (strstr(name, "..") != NULL)
		return fail(nt, error_r, "unknown time zone '%s'", zone);
	path =
	    xasprintf("%s/%s", dir != NULL ? dir : "/usr/share/zoneinfo", name);
	ok = (name[0] == '/' ? stat(name, &st) : stat(path, &st)) == 0 &&
	     S_ISREG(st.st_mode);
	free(path);
	if (!ok && !is_posix_tz(name))
		return fail(nt, error_r,
			    "unknown time zone '%s' (expected a name such as "
			    "Europe/Berlin)",
			    zone);
	nt->zone = xstrdup(zone);
	return 0;
}

static const char *const weekdays[7] = {"sun", "mon", "tue", "wed",
					"thu", "fri", "sat"};

static int
weekday_of(const char *s, size_t n)
{
	if (n < 3)
		return -1;
	for (int i = 0; i < 7; i++)
		if (strncasecmp(s, weekdays[i], 3) == 0)
			return i;
	return -1;
}

static int
parse_hhmm(const char **p, int *min_r)
{
	int h = 0, m = 0, nd = 0;

	while (isdigit((unsigned char)**p) && nd < 2) {
		h = h * 10 + (*(*p)++ - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (!isdigit((unsigned char)(*p)[0]) ||
		    !isdigit((unsigned char)(*p)[1]))
			return -1;
		m = ((*p)[0] - '0') * 10 + ((*p)[1] - '0');
		*p += 2;
	}
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*min_r = h * 60 + m;
	return 0;
}

/* One group: "Mon-Fri 08:00-17:00 [13:00-17:00 ...]". */
static int
parse_hours_group(struct notice_time *nt, const char *g)
{
	bool days[7] = {false};
	const char *p = g;
	int nsp = 0;
	struct notice_time_span sp[NOTICE_TIME_MAX_SPANS];

	/* days: "Mon-Fri", "Mon,Wed", "Sat" */
	for (;;) {
		const char *w = p;
		int a, b;

		while (isalpha((unsigned char)*p))
			p++;
		if ((a = weekday_of(w, (size_t)(p - w))) < 0)
			return -1;
		b = a;
		if (*p == '-') {
			w = ++p;
			while (isalpha((unsigned char)*p))
				p++;
			if ((b = weekday_of(w, (size_t)(p - w))) < 0)
				return -1;
		}
		for (int d = a;; d = (d + 1) % 7) {
			days[d] = true;
			if (d == b)
				break;
		}
		if (*p != '/' && *p != '+')
			break;
		p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0') {
		int s, e;

		if (nsp == NOTICE_TIME_MAX_SPANS)
			return -1;
		if (parse_hhmm(&p, &s) < 0 || *p++ != '-' ||
		    parse_hhmm(&p, &e) < 0 || s >= e)
			return -1;
		if (nsp > 0 && s < sp[nsp - 1].end)
			return -1;
		sp[nsp].start = s;
		sp[nsp].end = e;
		nsp++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (nsp == 0)
		return -1;
	for (int d = 0; d < 7; d++) {
		if (!days[d])
			continue;
		memcpy(nt->spans[d], sp, sizeof(sp));
		nt->nspans[d] = nsp;
	}
	return 0;
}

int
notice_time_set_hours(struct notice_time *nt, const char *spec,
		      const char **error_r)
{
	struct strlist groups = {0};
	int r = 0;

	memset(nt->spans, 0, sizeof(nt->spans));
	memset(nt->nspans, 0, sizeof(nt->nspans));
	if (strcmp(spec, "24/7") == 0 || strcasecmp(spec, "always") == 0) {
		for (int d = 0; d < 7; d++) {
			nt->spans[d][0].start = 0;
			nt->spans[d][0].end = 1440;
			nt->nspans[d] = 1;
		}
		return 0;
	}
	strlist_split(&groups, spec, ",;");
	for (size_t i = 0; i < groups.n && r == 0; i++) {
		char *g = str_trim(groups.v[i]);

		if (*g != '\0' && parse_hours_group(nt, g) < 0)
			r = -1;
	}
	strlist_free(&groups);
	if (r < 0)
		return fail(nt, error_r,
			    "bad business hours '%s' (expected e.g. "
			    "\"Mon-Fri 08:00-17:00\")",
			    spec);
	return 0;
}

int
notice_time_set_holidays(struct notice_time *nt, const char *spec,
			 const char **error_r)
{
	struct strlist l = {0};
	int r = 0;

	xfree(nt->holidays);
	nt->nholidays = 0;
	strlist_split(&l, spec, " ,;\t");
	nt->holidays = xcalloc(l.n + 1, sizeof(int));
	for (size_t i = 0; i < l.n; i++) {
		int y = 0, m, d, n = 0;

		if (sscanf(l.v[i], "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 &&
		    l.v[i][n] == '\0' && y >= 1970) {
			/* full date */
		} else if (y = 0, n = 0,
			   sscanf(l.v[i], "%2d-%2d%n", &m, &d, &n) == 2 &&
			       l.v[i][n] == '\0') {
			/* every year */
		} else {
			r = -1;
			break;
		}
		if (m < 1 || m > 12 || d < 1 || d > 31) {
			r = -1;
			break;
		}
		nt->holidays[nt->nholidays++] = y * 10000 + m * 100 + d;
	}
	if (r < 0)
		fail(nt, error_r,
		     "bad holiday '%s' (expected 2026-12-24 or 12-24)",
		     l.v[nt->nholidays]);
	strlist_free(&l);
	return r;
}

int
notice_time_init(struct notice_time *nt, const struct config *config,
		 const char **error_r)
{
	const char *v;

	memset(nt, 0, sizeof(*nt));
	if (notice_time_set_hours(nt, "Mon-Fri 08:00-17:00", error_r) < 0)
		return -1;
	if (config == NULL)
		return 0;
	if ((v = config_get(config, "support", NULL, "timezone")) != NULL &&
	    notice_time_set_zone(nt, v, error_r) < 0)
		return -1;
	if ((v = config_get(config, "support", NULL, "business_hours")) !=
		NULL &&
	    notice_time_set_hours(nt, v, error_r) < 0)
		return -1;
	if ((v = config_get(config, "support", NULL, "holidays")) != NULL &&
	    notice_time_set_holidays(nt, v, error_r) < 0)
		return -1;
	v = config_get_default(config, "notices", "deadline_unit", "hours");
	nt->business_deadlines = strcmp(v, "business") == 0;
	return 0;
}

void
notice_time_deinit(struct notice_time *nt)
{
	xfree(nt->zone);
	xfree(nt->holidays);
	nt->nholidays = 0;
}

void
notice_time_local(const struct notice_time *nt, time_t t, struct tm *tm)
{
	tz_push(nt);
	localtime_r(&t, tm);
	tz_pop(nt);
}

time_t
notice_time_mktime(const struct notice_time *nt, struct tm *tm)
{
	time_t t;

	tz_push(nt);
	tm->tm_isdst = -1;
	t = mktime(tm);
	tz_pop(nt);
	return t;
}

void
notice_time_format(const struct notice_time *nt, time_t t, const char *fmt,
		   char *buf, size_t size)
{
	struct tm tm;

	tz_push(nt);
	localtime_r(&t, &tm);
	/* fmt is checked at the callers (format attribute in support.h) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, size, fmt, &tm) == 0 && size > 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	tz_pop(nt);
}

int
notice_time_parse(const struct notice_time *nt, const char *s, time_t *t_r)
{
	int r;

	tz_push(nt);
	r = clock_parse_iso8601(s, t_r);
	tz_pop(nt);
	return r;
}

static bool
is_holiday_tm(const struct notice_time *nt, const struct tm *tm)
{
	int full =
	    (tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 + tm->tm_mday;
	int yearly = (tm->tm_mon + 1) * 100 + tm->tm_mday;

	for (size_t i = 0; i < nt->nholidays; i++)
		if (nt->holidays[i] == full || nt->holidays[i] == yearly)
			return true;
	return false;
}

static bool
is_business_day_tm(const struct notice_time *nt, const struct tm *tm)
{
	return nt->nspans[tm->tm_wday] > 0 && !is_holiday_tm(nt, tm);
}

bool
notice_time_is_holiday(const struct notice_time *nt, time_t t)
{
	struct tm tm;

	notice_time_local(nt, t, &tm);
	return is_holiday_tm(nt, &tm);
}

/* The instant of minute-of-day min on the local date of day (whose
   tm_year/mon/mday are used), plus delta days. */
static time_t
at_minute(const struct tm *day, int delta, int min)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = day->tm_year;
	tm.tm_mon = day->tm_mon;
	tm.tm_mday = day->tm_mday + delta;
	tm.tm_hour = min / 60;
	tm.tm_min = min % 60;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The local date delta days after day (normalised, with tm_wday). */
static void
day_after(const struct tm *day, int delta, struct tm *out)
{
	memset(out, 0, sizeof(*out));
	out->tm_year = day->tm_year;
	out->tm_mon = day->tm_mon;
	out->tm_mday = day->tm_mday + delta;
	out->tm_hour = 12; /* noon: never in a DST gap */
	out->tm_isdst = -1;
	mktime(out);
}

bool
notice_time_is_business(const struct notice_time *nt, time_t t)
{
	struct tm tm;
	bool yes = false;

	tz_push(nt);
	localtime_r(&t, &tm);
	if (is_business_day_tm(nt, &tm)) {
		for (int i = 0; i < nt->nspans[tm.tm_wday]; i++) {
			time_t s =
			    at_minute(&tm, 0, nt->spans[tm.tm_wday][i].start);
			time_t e =
			    at_minute(&tm, 0, nt->spans[tm.tm_wday][i].end);

			if (t >= s && t < e)
				yes = true;
		}
	}
	tz_pop(nt);
	return yes;
}

static bool
any_business_time(const struct notice_time *nt)
{
	for (int d = 0; d < 7; d++)
		if (nt->nspans[d] > 0)
			return true;
	return false;
}

/* Business seconds forward (secs > 0) or backward (secs < 0). Called
   with the zone pushed. */
static time_t
add_business_secs(const struct notice_time *nt, time_t start, long secs)
{
	struct tm day0, day;
	long left = secs < 0 ? -secs : secs;
	int dir = secs < 0 ? -1 : 1;

	localtime_r(&start, &day0);
	for (int k = 0; k < MAX_DAYS_WALKED; k++) {
		int wd;

		day_after(&day0, dir * k, &day);
		wd = day.tm_wday;
		if (!is_business_day_tm(nt, &day))
			continue;
		for (int j = 0; j < nt->nspans[wd]; j++) {
			int i = dir > 0 ? j : nt->nspans[wd] - 1 - j;
			time_t s = at_minute(&day, 0, nt->spans[wd][i].start);
			time_t e = at_minute(&day, 0, nt->spans[wd][i].end);

			if (dir > 0) {
				if (start > s)
					s = start;
				if (s >= e)
					continue;
				if (left <= e - s)
					return s + left;
				left -= (long)(e - s);
			} else {
				if (start < e)
					e = start;
				if (s >= e)
					continue;
				if (left <= e - s)
					return e - left;
				left -= (long)(e - s);
			}
		}
	}
	return start + secs;
}

/* The business moment at or after t (dir > 0) or at or before t (dir <
   0). Called with the zone pushed. */
static time_t
clamp_business(const struct notice_time *nt, time_t t, int dir)
{
	struct tm day0, day;

	localtime_r(&t, &day0);
	for (int k = 0; k < MAX_DAYS_WALKED; k++) {
		int wd;

		day_after(&day0, dir * k, &day);
		wd = day.tm_wday;
		if (!is_business_day_tm(nt, &day))
			continue;
		for (int j = 0; j < nt->nspans[wd]; j++) {
			int i = dir > 0 ? j : nt->nspans[wd] - 1 - j;
			time_t s = at_minute(&day, 0, nt->spans[wd][i].start);
			time_t e = at_minute(&day, 0, nt->spans[wd][i].end);

			if (t >= s && t <= e)
				return t;
			if (dir > 0 && s > t)
				return s;
			if (dir < 0 && e < t)
				return e;
		}
	}
	return t;
}

/* Minute of day of t clamped into the spans of business day day. */
static time_t
same_time_on(const struct notice_time *nt, const struct tm *day, int minute)
{
	int wd = day->tm_wday;
	int n = nt->nspans[wd];

	if (minute <= nt->spans[wd][0].start)
		return at_minute(day, 0, nt->spans[wd][0].start);
	if (minute >= nt->spans[wd][n - 1].end)
		return at_minute(day, 0, nt->spans[wd][n - 1].end);
	for (int i = 0; i < n; i++)
		if (minute < nt->spans[wd][i].end) {
			if (minute < nt->spans[wd][i].start)
				minute = nt->spans[wd][i].start;
			break;
		}
	return at_minute(day, 0, minute);
}

/* Business days: from the nearest business moment, the same time of day
   n business days later (or earlier). A result at the opening of a day
   is the same business instant as the close of the business day before,
   which reads better ("by Tuesday 17:00", not "by Wednesday 08:00"). */
static time_t
add_business_days(const struct notice_time *nt, time_t start, long n)
{
	int dir = n < 0 ? -1 : 1;
	long left = n < 0 ? -n : n;
	time_t c = clamp_business(nt, start, dir), t = c;
	struct tm day0, day;
	int minute;

	localtime_r(&c, &day0);
	minute = day0.tm_hour * 60 + day0.tm_min;
	for (int k = 1; k < MAX_DAYS_WALKED * 2 && left > 0; k++) {
		day_after(&day0, dir * k, &day);
		if (!is_business_day_tm(nt, &day))
			continue;
		if (--left == 0)
			t = same_time_on(nt, &day, minute) + day0.tm_sec;
	}
	if (left > 0)
		return start + n * 86400;
	localtime_r(&t, &day0);
	if (is_business_day_tm(nt, &day0) &&
	    t == at_minute(&day0, 0, nt->spans[day0.tm_wday][0].start))
		t = clamp_business(nt, t - 1, -1);
	return t;
}

time_t
notice_time_add(const struct notice_time *nt, time_t start, long amount,
		enum notice_time_unit unit)
{
	struct tm tm;
	time_t t;

	switch (unit) {
	case NOTICE_TIME_SECONDS:
		return start + amount;
	case NOTICE_TIME_DAYS:
		tz_push(nt);
		localtime_r(&start, &tm);
		tm.tm_mday += (int)amount;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		tz_pop(nt);
		return t;
	case NOTICE_TIME_BUSINESS_SECS:
	case NOTICE_TIME_BUSINESS_DAYS:
		if (!any_business_time(nt))
			return start +
			       amount * (unit == NOTICE_TIME_BUSINESS_DAYS
					     ? 86400
					     : 1);
		tz_push(nt);
		t = unit == NOTICE_TIME_BUSINESS_SECS
			? add_business_secs(nt, start, amount)
			: add_business_days(nt, start, amount);
		tz_pop(nt);
		return t;
	}
	return start + amount;
}

static const struct {
	const char *word;
	enum notice_time_unit unit;
	long mult;
	bool business_aware; /* counts business time with deadline_unit */
} span_units[] = {
    {"s", NOTICE_TIME_SECONDS, 1, true},
    {"sec", NOTICE_TIME_SECONDS, 1, true},
    {"second", NOTICE_TIME_SECONDS, 1, true},
    {"m", NOTICE_TIME_SECONDS, 60, true},
    {"min", NOTICE_TIME_SECONDS, 60, true},
    {"minute", NOTICE_TIME_SECONDS, 60, true},
    {"h", NOTICE_TIME_SECONDS, 3600, true},
    {"hr", NOTICE_TIME_SECONDS, 3600, true},
    {"hour", NOTICE_TIME_SECONDS, 3600, true},
    {"d", NOTICE_TIME_DAYS, 1, true},
    {"day", NOTICE_TIME_DAYS, 1, true},
    {"w", NOTICE_TIME_DAYS, 7, true},
    {"week", NOTICE_TIME_DAYS, 7, true},
    {"bh", NOTICE_TIME_BUSINESS_SECS, 3600, false},
    {"business hour", NOTICE_TIME_BUSINESS_SECS, 3600, false},
    {"bd", NOTICE_TIME_BUSINESS_DAYS, 1, false},
    {"business day", NOTICE_TIME_BUSINESS_DAYS, 1, false},
    {"workday", NOTICE_TIME_BUSINESS_DAYS, 1, false},
    {"working day", NOTICE_TIME_BUSINESS_DAYS, 1, false},
};

int
notice_time_parse_span(const struct notice_time *nt, const char *s,
		       long *amount_r, enum notice_time_unit *unit_r)
{
	char word[32];
	char *end;
	long v;
	size_t n;

	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v > 100000)
		return -1;
	while (*end == ' ')
		end++;
	n = strlen(end);
	while (n > 0 && end[n - 1] == ' ')
		n--;
	if (n >= sizeof(word))
		return -1;
	memcpy(word, end, n);
	word[n] = '\0';
	str_lower(word);
	if (n > 1 && word[n - 1] == 's' && strcmp(word, "s") != 0)
		word[--n] = '\0'; /* plural */
	if (n == 0) {
		*amount_r = v;
		*unit_r = nt->business_deadlines ? NOTICE_TIME_BUSINESS_SECS
						 : NOTICE_TIME_SECONDS;
		return 0;
	}
	for (size_t i = 0; i < N_ELEMENTS(span_units); i++) {
		if (strcmp(word, span_units[i].word) != 0)
			continue;
		*amount_r = v * span_units[i].mult;
		*unit_r = span_units[i].unit;
		if (nt->business_deadlines && span_units[i].business_aware) {
			if (*unit_r == NOTICE_TIME_SECONDS)
				*unit_r = NOTICE_TIME_BUSINESS_SECS;
			else {
				*unit_r = NOTICE_TIME_BUSINESS_DAYS;
				/* a business week has five days */
				if (span_units[i].mult == 7)
					*amount_r = v * 5;
			}
		}
		return 0;
	}
	return -1;
}

int
notice_time_deadline(const struct notice_time *nt, time_t now, const char *spec,
		     const char *def_spec, time_t change_at,
		     const char *lead_spec, time_t *deadline_r,
		     const char **error_r)
{
	struct notice_time *mnt = (struct notice_time *)nt;
	enum notice_time_unit unit;
	long amount;
	time_t d;

	if (spec == NULL)
		spec = def_spec != NULL ? def_spec : "48h";
	if (notice_time_parse_span(nt, spec, &amount, &unit) == 0)
		d = notice_time_add(nt, now, amount, unit);
	else if (notice_time_parse(nt, spec, &d) < 0)
		return fail(mnt, error_r,
			    "bad deadline '%s' (expected 48h, 2d, 3bd or "
			    "\"2026-12-01 09:00\")",
			    spec);
	if (change_at != (time_t)-1) {
		time_t before;

		if (lead_spec == NULL)
			lead_spec = "1d";
		if (notice_time_parse_span(nt, lead_spec, &amount, &unit) < 0)
			return fail(mnt, error_r, "bad lead time '%s'",
				    lead_spec);
		before = notice_time_add(nt, change_at, -amount, unit);
		if (before < d)
			d = before;
	}
	if (d < now)
		d = now;
	*deadline_r = d;
	return 0;
}
