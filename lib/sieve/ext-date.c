/*
 * ext-date.c - the date and currentdate tests (RFC 5260): date parts of
 * a header's date or of the current time, in a chosen zone.
 */
#include <glib.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

void sieve_apply_index(const struct sieve_node *n, struct strlist *vals);

static const char *const date_parts[] = {
    "year",   "month", "day",	  "date",  "julian", "hour",	"minute",
    "second", "time",  "iso8601", "std11", "zone",   "weekday",
};

static bool
part_known(const char *s)
{
	for (size_t i = 0; i < N_ELEMENTS(date_parts); i++)
		if (strcasecmp(date_parts[i], s) == 0)
			return true;
	return false;
}

/* "+hhmm" / "-hhmm" to seconds east of UTC. Returns 0/-1. */
static int
zone_parse(const char *z, long *off_r)
{
	if (strlen(z) != 5 || (z[0] != '+' && z[0] != '-'))
		return -1;
	for (int i = 1; i < 5; i++)
		if (z[i] < '0' || z[i] > '9')
			return -1;
	*off_r = ((z[1] - '0') * 10 + (z[2] - '0')) * 3600L +
		 ((z[3] - '0') * 10 + (z[4] - '0')) * 60L;
	if (z[0] == '-')
		*off_r = -*off_r;
	return 0;
}

static const struct sieve_tag_def zone_tag_table[] = {
    {"zone", NULL, SLOT_ZONE, 'S', 0},
    {"originalzone", NULL, SLOT_ORIGINALZONE, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const date_tags[] = {
    zone_tag_table, sieve_tags_match, sieve_tags_index, NULL};
static const struct sieve_tag_def *const currentdate_tags[] = {
    zone_tag_table, sieve_tags_match, NULL};

static int
common_validate(struct sieve_valid *v, struct sieve_node *n, size_t part_pos)
{
	const struct sieve_string *p = &n->cmd.pos[part_pos]->strs[0];

	if (n->cmd.has[SLOT_ZONE] && n->cmd.has[SLOT_ORIGINALZONE]) {
		sieve_error(v, n,
			    "the :zone and :originalzone tags cannot "
			    "be combined");
		return -1;
	}
	/* an invalid zone or an unknown date part is not an error in
	   Pigeonhole: the test just does not match */
	(void)p;
	return sieve_validate_match(v, n, part_pos + 1);
}

static int
date_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_LAST] && !n->cmd.has[SLOT_INDEX]) {
		sieve_error(v, n, "the :last tag requires the :index tag");
		return -1;
	}
	return common_validate(v, n, 1);
}

static int
currentdate_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_ORIGINALZONE]) {
		sieve_error(v, n, "currentdate takes no :originalzone tag");
		return -1;
	}
	return common_validate(v, n, 0);
}

/* The local zone's offset at t. */
static long
local_offset(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

static char *
date_part(time_t t, long off, const char *part)
{
	time_t lt = t + off;
	struct tm tm;
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
					 "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug",
					  "Sep", "Oct", "Nov", "Dec"};
	char zone[48];
	long aoff = off < 0 ? -off : off;

	gmtime_r(&lt, &tm);
	snprintf(zone, sizeof(zone), "%c%02ld%02ld", off < 0 ? '-' : '+',
		 aoff / 3600, (aoff % 3600) / 60);
	if (strcasecmp(part, "year") == 0)
		return xasprintf("%04d", tm.tm_year + 1900);
	if (strcasecmp(part, "month") == 0)
		return xasprintf("%02d", tm.tm_mon + 1);
	if (strcasecmp(part, "day") == 0)
		return xasprintf("%02d", tm.tm_mday);
	if (strcasecmp(part, "date") == 0)
		return xasprintf("%04d-%02d-%02d", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday);
	if (strcasecmp(part, "julian") == 0)
		/* Modified Julian Day: days since 1858-11-17 */
		return xasprintf(
		    "%lld",
		    (long long)((lt >= 0 ? lt : lt - 86399) / 86400) + 40587);
	if (strcasecmp(part, "hour") == 0)
		return xasprintf("%02d", tm.tm_hour);
	if (strcasecmp(part, "minute") == 0)
		return xasprintf("%02d", tm.tm_min);
	if (strcasecmp(part, "second") == 0)
		return xasprintf("%02d", tm.tm_sec);
	if (strcasecmp(part, "time") == 0)
		return xasprintf("%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
				 tm.tm_sec);
	if (strcasecmp(part, "iso8601") == 0)
		return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				 tm.tm_hour, tm.tm_min, tm.tm_sec,
				 off < 0 ? '-' : '+', aoff / 3600,
				 (aoff % 3600) / 60);
	if (strcasecmp(part, "std11") == 0)
		return xasprintf("%s, %02d %s %04d %02d:%02d:%02d %s",
				 wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon],
				 tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
				 tm.tm_sec, zone);
	if (strcasecmp(part, "zone") == 0)
		return xstrdup(zone);
	if (strcasecmp(part, "weekday") == 0)
		return xasprintf("%d", tm.tm_wday);
	return NULL;
}

/* Skips blanks, line breaks and (nested) comments. */
static const char *
skip_cfws(const char *p)
{
	int depth = 0;

	for (;; p++) {
		if (*p == '\0')
			return p;
		if (depth > 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return p;
	}
}

static const char *
skip_digits(const char *p, int min, int max)
{
	int n = 0;

	while (*p >= '0' && *p <= '9' && n <= max) {
		p++;
		n++;
	}
	return n >= min && n <= max ? p : NULL;
}

/* Appends the run of letters at p to out, returns its end. */
static const char *
copy_alpha(const char *p, struct str *out)
{
	const char *q = p;

	while (g_ascii_isalpha(*q))
		q++;
	str_append_n(out, p, (size_t)(q - p));
	return q;
}

/* Appends min..max digits at p to out; returns their end or NULL. */
static const char *
copy_digits(const char *p, int min, int max, struct str *out)
{
	const char *q = skip_digits(p, min, max);

	if (q != NULL)
		str_append_n(out, p, (size_t)(q - p));
	return q;
}

/* The shape Pigeonhole's date parser insists on, where GMime is more
   lenient: an optional weekday followed by a comma, day, month, year
   and a time "h:mm" or "h:mm:ss", then a blank, a comment or the end;
   the zone is not checked here. Comments and blanks may stand between
   all the parts (RFC 5322 CFWS, and the obsolete syntax's blanks around
   the colons): they are left out of the copy in out, which GMime can
   read ("Fri, 21 Nov 1997 09(c): 55 : 06 -0600" becomes
   "Fri, 21 Nov 1997 09:55:06 -0600"). */
static bool
date_normalize(const char *p, struct str *out)
{
	p = skip_cfws(p);
	if (g_ascii_isalpha(*p)) {
		p = skip_cfws(copy_alpha(p, out));
		if (*p++ != ',')
			return false;
		str_append(out, ", ");
	}
	if ((p = copy_digits(skip_cfws(p), 1, 2, out)) == NULL)
		return false;
	p = skip_cfws(p);
	if (!g_ascii_isalpha(*p))
		return false;
	str_appendc(out, ' ');
	p = copy_alpha(p, out);
	str_appendc(out, ' ');
	if ((p = copy_digits(skip_cfws(p), 2, 4, out)) == NULL)
		return false;
	str_appendc(out, ' ');
	if ((p = copy_digits(skip_cfws(p), 1, 2, out)) == NULL)
		return false;
	p = skip_cfws(p);
	if (*p++ != ':')
		return false;
	str_appendc(out, ':');
	if ((p = copy_digits(skip_cfws(p), 2, 2, out)) == NULL)
		return false;
	if (*skip_cfws(p) == ':') {
		p = skip_cfws(p) + 1;
		str_appendc(out, ':');
		if ((p = copy_digits(skip_cfws(p), 2, 2, out)) == NULL)
			return false;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' &&
	    *p != '(')
		return false;
	/* the zone and whatever follows, as they are */
	str_appendc(out, ' ');
	str_append(out, skip_cfws(p));
	return true;
}

/* Parses an RFC 5322 date into UTC time and its own zone offset. */
static int
parse_date(const char *s, time_t *t_r, long *off_r)
{
	struct str norm = STR_INIT;
	GDateTime *dt = NULL;

	str_append(&norm, "");
	if (date_normalize(s, &norm))
		dt = g_mime_utils_header_decode_date(norm.s);
	str_free(&norm);
	if (dt == NULL)
		return -1;
	*t_r = (time_t)g_date_time_to_unix(dt);
	*off_r = (long)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_SECOND);
	g_date_time_unref(dt);
	return 0;
}

static int
eval_date(struct sieve_run *run, struct sieve_node *n, time_t t, long origoff,
	  bool have, size_t part_pos, struct strlist *vals)
{
	char *part = sieve_expand(run, &n->cmd.pos[part_pos]->strs[0]);
	long off = local_offset(t);
	char *v;

	if (n->cmd.has[SLOT_ZONE]) {
		char *z = sieve_expand(run, &n->cmd.tag[SLOT_ZONE]->strs[0]);

		if (zone_parse(z, &off) < 0)
			off = local_offset(t); /* ignored, as Pigeonhole */
		free(z);
	} else if (n->cmd.has[SLOT_ORIGINALZONE]) {
		off = origoff;
	}
	if (have && part_known(part) && (v = date_part(t, off, part)) != NULL)
		strlist_add_owned(vals, v);
	free(part);
	return 0;
}

static int
date_test(struct sieve_run *run, struct sieve_node *n)
{
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	struct strlist hv = {0}, vals = {0};
	int r;

	sieve_header_values(run, name, false, &hv);
	sieve_apply_index(n, &hv);
	for (size_t i = 0; i < hv.n; i++) {
		time_t t;
		long off;
		const char *s = hv.v[i];

		/* Received: the date follows the last ';' */
		if (strcasecmp(name, "received") == 0 && strrchr(s, ';'))
			s = strrchr(s, ';') + 1;
		/* the first occurrence only (Pigeonhole): when it is not a
		   date, there is no value */
		if (parse_date(s, &t, &off) == 0)
			eval_date(run, n, t, off, true, 1, &vals);
		if (!n->cmd.has[SLOT_INDEX])
			break;
	}
	r = vals.n > 0 || (n->cmd.has[SLOT_MATCH] &&
			   n->cmd.value[SLOT_MATCH] == MATCH_COUNT)
		? sieve_match_values(run, n, &vals, 2)
		: 0;
	free(name);
	strlist_free(&hv);
	strlist_free(&vals);
	return r;
}

static int
currentdate_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist vals = {0};
	time_t now = clock_now();
	int r;

	eval_date(run, n, now, local_offset(now), true, 0, &vals);
	r = sieve_match_values(run, n, &vals, 1);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def date = {
    .name = "date",
    .kind = DEF_TEST,
    .pos = "SSL",
    .tags = date_tags,
    .validate = date_validate,
    .test = date_test,
};
static const struct sieve_cmd_def currentdate = {
    .name = "currentdate",
    .kind = DEF_TEST,
    .pos = "SL",
    .tags = currentdate_tags,
    .validate = currentdate_validate,
    .test = currentdate_test,
};

static const struct sieve_cmd_def *const defs[] = {&date, &currentdate, NULL};

const struct sieve_extension sieve_ext_date = {
    .name = "date",
    .defs = defs,
};
