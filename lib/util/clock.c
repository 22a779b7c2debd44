/*
 * clock.c - the one clock of ackmail (ACKMAIL_NOW for tests and replays),
 * date parsing and formatting.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static time_t clock_fixed = (time_t)-1;

void
clock_set_now(time_t t)
{
	clock_fixed = t;
}

time_t
clock_now(void)
{
	const char *env;
	time_t t;

	if (clock_fixed != (time_t)-1)
		return clock_fixed;
	if ((env = getenv("ACKMAIL_NOW")) != NULL && *env != '\0' &&
	    clock_parse_iso8601(env, &t) == 0)
		return t;
	return time(NULL);
}

uint64_t
clock_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
parse_digits(const char **p, int n, int *v_r)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*v_r = v;
	return 0;
}

int
clock_parse_iso8601(const char *s, time_t *t_r)
{
	struct tm tm;
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, zh, zm;
	bool have_zone = false;
	long off = 0;
	time_t t;

	while (*p == ' ')
		p++;
	if (*p == '@') { /* @epoch */
		char *end;
		long long v = strtoll(p + 1, &end, 10);

		if (end == p + 1 || *end != '\0')
			return -1;
		*t_r = (time_t)v;
		return 0;
	}
	if (parse_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &d) < 0)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (parse_digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    parse_digits(&p, 2, &mi) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (parse_digits(&p, 2, &sec) < 0)
				return -1;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		have_zone = true;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (parse_digits(&p, 2, &zh) < 0)
			return -1;
		if (*p == ':')
			p++;
		if (parse_digits(&p, 2, &zm) < 0)
			return -1;
		have_zone = true;
		off = sign * (zh * 3600L + zm * 60L);
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (have_zone) {
		t = timegm(&tm);
		t -= off;
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	if (t == (time_t)-1)
		return -1;
	*t_r = t;
	return 0;
}

int
clock_parse_duration(const char *s, long *seconds_r)
{
	char *end;
	long v, mult = 1;

	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0') {
		end++;
		/* accept long forms: "min", "hours", "days", "weeks" */
		while (isalpha((unsigned char)*end))
			end++;
		while (*end == ' ')
			end++;
		if (*end != '\0')
			return -1;
	}
	if (v > 0 && mult > 0 && v > (long)(0x7fffffff / mult))
		return -1;
	*seconds_r = v * mult;
	return 0;
}

void
clock_rfc5322(time_t t, char *buf, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(buf, size, "%a, %d %b %Y %H:%M:%S %z", &tm) == 0 &&
	    size > 0)
		buf[0] = '\0';
}

void
clock_iso8601(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 && size > 0)
		buf[0] = '\0';
}
