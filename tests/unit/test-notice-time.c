/*
 * test-notice-time.c - lib/support/notice-time.c: zones, business hours,
 * holidays, deadlines across weekends and DST transitions.
 */
#include "unit.h"
#include "notice.h"

static void
setup_nt(struct notice_time *nt, const char *zone, const char *hours,
	 const char *holidays, bool business)
{
	const char *err = NULL;

	assert_int_equal(notice_time_init(nt, NULL, &err), 0);
	if (zone != NULL)
		assert_int_equal(notice_time_set_zone(nt, zone, &err), 0);
	if (hours != NULL)
		assert_int_equal(notice_time_set_hours(nt, hours, &err), 0);
	if (holidays != NULL)
		assert_int_equal(notice_time_set_holidays(nt, holidays, &err),
				 0);
	nt->business_deadlines = business;
}

static void
test_zone(void **state)
{
	static const struct {
		const char *zone;
		int ret;
	} rows[] = {
	    {"Europe/Berlin", 0},
	    {"UTC", 0},
	    {"America/New_York", 0},
	    {"CET-1CEST,M3.5.0,M10.5.0/3", 0},
	    {"Mars/Olympus_Mons", -1},
	    {"../../etc/passwd", -1},
	    {"Berlin", -1},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		const char *err = NULL;

		notice_time_init(&nt, NULL, &err);
		assert_row_int(i, notice_time_set_zone(&nt, rows[i].zone, &err),
			       rows[i].ret);
		notice_time_deinit(&nt);
	}
}

static void
test_hours(void **state)
{
	static const struct {
		const char *spec;
		int ret;
		const char *probe; /* local time in Europe/Berlin */
		bool business;
	} rows[] = {
	    {"Mon-Fri 08:00-17:00", 0, "2026-11-23 08:00", true},
	    {"Mon-Fri 08:00-17:00", 0, "2026-11-23 17:00", false},
	    {"Mon-Fri 08:00-17:00", 0, "2026-11-23 07:59", false},
	    {"Mon-Fri 08:00-17:00", 0, "2026-11-28 10:00", false}, /* Sat */
	    {"Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00", 0,
	     "2026-11-26 12:30", false},
	    {"Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00", 0,
	     "2026-11-27 13:59", true},
	    {"Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00", 0,
	     "2026-11-27 14:00", false},
	    {"Sat 9-13", 0, "2026-11-28 12:00", true},
	    {"Fri-Mon 10:00-11:00", 0, "2026-11-29 10:30", true}, /* Sun */
	    {"24/7", 0, "2026-11-29 03:00", true},
	    {"Mon-Fri 17:00-08:00", -1, NULL, false},
	    {"Mon-Fri", -1, NULL, false},
	    {"Someday 08:00-17:00", -1, NULL, false},
	    {"Mon-Fri 08:00-25:00", -1, NULL, false},
	    {"Mon 08:00-12:00 11:00-13:00", -1, NULL, false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		const char *err = NULL;
		time_t t;

		setup_nt(&nt, "Europe/Berlin", NULL, NULL, false);
		assert_row_int(i,
			       notice_time_set_hours(&nt, rows[i].spec, &err),
			       rows[i].ret);
		if (rows[i].probe != NULL) {
			assert_row_int(
			    i, notice_time_parse(&nt, rows[i].probe, &t), 0);
			assert_row_int(i, notice_time_is_business(&nt, t),
				       rows[i].business);
		}
		notice_time_deinit(&nt);
	}
}

static void
test_holidays(void **state)
{
	static const struct {
		const char *spec;
		int ret;
		const char *probe;
		bool holiday;
	} rows[] = {
	    {"2026-12-24 2026-12-25", 0, "2026-12-24 10:00", true},
	    {"2026-12-24,2026-12-25", 0, "2026-12-26 10:00", false},
	    {"01-01", 0, "2031-01-01 00:30", true},
	    {"01-01", 0, "2030-12-31 23:59", false},
	    {"2026-13-01", -1, NULL, false},
	    {"christmas", -1, NULL, false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		const char *err = NULL;
		time_t t;

		setup_nt(&nt, "Europe/Berlin", NULL, NULL, false);
		assert_row_int(
		    i, notice_time_set_holidays(&nt, rows[i].spec, &err),
		    rows[i].ret);
		if (rows[i].probe != NULL) {
			assert_row_int(
			    i, notice_time_parse(&nt, rows[i].probe, &t), 0);
			assert_row_int(i, notice_time_is_holiday(&nt, t),
				       rows[i].holiday);
		}
		notice_time_deinit(&nt);
	}
}

static void
test_span(void **state)
{
	static const struct {
		const char *in;
		bool business;
		int ret;
		long amount;
		enum notice_time_unit unit;
	} rows[] = {
	    {"48h", false, 0, 172800, NOTICE_TIME_SECONDS},
	    {"90m", false, 0, 5400, NOTICE_TIME_SECONDS},
	    {"2d", false, 0, 2, NOTICE_TIME_DAYS},
	    {"2 days", false, 0, 2, NOTICE_TIME_DAYS},
	    {"1w", false, 0, 7, NOTICE_TIME_DAYS},
	    {"3bd", false, 0, 3, NOTICE_TIME_BUSINESS_DAYS},
	    {"3 business days", false, 0, 3, NOTICE_TIME_BUSINESS_DAYS},
	    {"1 Business Day", false, 0, 1, NOTICE_TIME_BUSINESS_DAYS},
	    {"16bh", false, 0, 57600, NOTICE_TIME_BUSINESS_SECS},
	    {"4 business hours", false, 0, 14400, NOTICE_TIME_BUSINESS_SECS},
	    {"48h", true, 0, 172800, NOTICE_TIME_BUSINESS_SECS},
	    {"2d", true, 0, 2, NOTICE_TIME_BUSINESS_DAYS},
	    {"1w", true, 0, 5, NOTICE_TIME_BUSINESS_DAYS},
	    {"x", false, -1, 0, NOTICE_TIME_SECONDS},
	    {"5 fortnights", false, -1, 0, NOTICE_TIME_SECONDS},
	    {"-2d", false, -1, 0, NOTICE_TIME_SECONDS},
	    {"2026-12-01", false, -1, 0, NOTICE_TIME_SECONDS},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		long amount = 0;
		enum notice_time_unit unit = NOTICE_TIME_SECONDS;
		int r;

		setup_nt(&nt, "Europe/Berlin", NULL, NULL, rows[i].business);
		r = notice_time_parse_span(&nt, rows[i].in, &amount, &unit);
		assert_row_int(i, r, rows[i].ret);
		if (r == 0) {
			assert_row_int(i, amount, rows[i].amount);
			assert_row_int(i, unit, rows[i].unit);
		}
		notice_time_deinit(&nt);
	}
}

#define WEEKDAYS "Mon-Fri 08:00-17:00"
#define SPLIT	 "Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00"

/* Deadlines: start (local), spec, expected (local, with zone name). */
static void
test_deadline(void **state)
{
	static const struct {
		const char *zone, *hours, *holidays;
		bool business;
		const char *now, *spec;
		const char *change_at, *lead;
		const char *expect;
	} rows[] = {
	    /* 0: elapsed hours across the spring-forward night */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-03-27 10:00", "48h",
	     NULL, NULL, "2026-03-29 11:00 CEST"},
	    /* 1: calendar days keep the wall time */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-03-27 10:00", "2d",
	     NULL, NULL, "2026-03-29 10:00 CEST"},
	    /* 2: fall back: 24 hours is 11:00, a day is 12:00 */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-10-24 12:00", "24h",
	     NULL, NULL, "2026-10-25 11:00 CET"},
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-10-24 12:00", "1d",
	     NULL, NULL, "2026-10-25 12:00 CET"},
	    /* 4: business days over a weekend */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-27 16:00", "2bd",
	     NULL, NULL, "2026-12-01 16:00 CET"},
	    /* 5: sent on Saturday: two whole business days */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-28 10:00", "2bd",
	     NULL, NULL, "2026-12-01 17:00 CET"},
	    /* 6: sent at opening: one business day is the same evening */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-30 08:00", "1bd",
	     NULL, NULL, "2026-11-30 17:00 CET"},
	    /* 7: sent after closing on Friday */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-27 18:30", "1bd",
	     NULL, NULL, "2026-11-30 17:00 CET"},
	    /* 8: business hours over a weekend */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-27 16:00", "16bh",
	     NULL, NULL, "2026-12-01 14:00 CET"},
	    /* 9: split days and a short Friday */
	    {"Europe/Berlin", SPLIT, NULL, false, "2026-11-26 10:00", "8bh",
	     NULL, NULL, "2026-11-27 10:00 CET"},
	    /* 10: holidays are skipped */
	    {"Europe/Berlin", WEEKDAYS, "2026-12-24 2026-12-25", false,
	     "2026-12-23 10:00", "2bd", NULL, NULL, "2026-12-29 10:00 CET"},
	    /* 11: a yearly holiday */
	    {"Europe/Berlin", WEEKDAYS, "01-01", false, "2026-12-31 12:00",
	     "1bd", NULL, NULL, "2027-01-04 12:00 CET"},
	    /* 12: business hours across the spring-forward weekend */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-03-27 16:00", "9bh",
	     NULL, NULL, "2026-03-30 16:00 CEST"},
	    /* 13: deadline_unit = business: 2d are business days */
	    {"Europe/Berlin", WEEKDAYS, NULL, true, "2026-11-27 16:00", "2d",
	     NULL, NULL, "2026-12-01 16:00 CET"},
	    /* 14: an absolute deadline is read in the desk's zone */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00",
	     "2026-12-01 09:00", NULL, NULL, "2026-12-01 09:00 CET"},
	    /* 15: the change is soon: a day before it */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00", "48h",
	     "2026-11-25 09:00", "1d", "2026-11-24 09:00 CET"},
	    /* 16: a change far away does not extend the deadline */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00", "48h",
	     "2026-12-20 09:00", "1d", "2026-11-25 10:00 CET"},
	    /* 17: lead time in business days, change on Monday morning */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00", "2w",
	     "2026-11-30 09:00", "1bd", "2026-11-27 09:00 CET"},
	    /* 18: change before opening: the business day before ends on
	       Friday evening */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00", "2w",
	     "2026-12-01 07:00", "1bd", "2026-11-27 17:00 CET"},
	    /* 19: a change already too close: due now */
	    {"Europe/Berlin", WEEKDAYS, NULL, false, "2026-11-23 10:00", "48h",
	     "2026-11-23 15:00", "1d", "2026-11-23 10:00 CET"},
	    /* 20: another zone's DST (New York, 8 March 2026) */
	    {"America/New_York", WEEKDAYS, NULL, false, "2026-03-06 12:00",
	     "48h", NULL, NULL, "2026-03-08 13:00 EDT"},
	    /* 21: a POSIX zone rule */
	    {"CET-1CEST,M3.5.0,M10.5.0/3", WEEKDAYS, NULL, false,
	     "2026-03-27 10:00", "48h", NULL, NULL, "2026-03-29 11:00 CEST"},
	    /* 22: Tokyo has no DST; Friday evening plus one business day */
	    {"Asia/Tokyo", WEEKDAYS, NULL, false, "2026-11-27 16:30", "1bd",
	     NULL, NULL, "2026-11-30 16:30 JST"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		const char *err = NULL;
		time_t now, change = (time_t)-1, d = 0;
		char buf[64];

		setup_nt(&nt, rows[i].zone, rows[i].hours, rows[i].holidays,
			 rows[i].business);
		assert_row_int(i, notice_time_parse(&nt, rows[i].now, &now), 0);
		if (rows[i].change_at != NULL)
			assert_row_int(
			    i,
			    notice_time_parse(&nt, rows[i].change_at, &change),
			    0);
		assert_row_int(i,
			       notice_time_deadline(&nt, now, rows[i].spec,
						    NULL, change, rows[i].lead,
						    &d, &err),
			       0);
		notice_time_format(&nt, d, "%Y-%m-%d %H:%M %Z", buf,
				   sizeof(buf));
		assert_row_str(i, buf, rows[i].expect);
		notice_time_deinit(&nt);
	}
}

/* The desk's zone never leaks into the process zone. */
static void
test_zone_restored(void **state)
{
	struct notice_time nt;
	time_t t = 1795453200; /* 2026-11-23T17:00:00Z */
	struct tm tm;
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	setup_nt(&nt, "Asia/Tokyo", NULL, NULL, false);
	notice_time_format(&nt, t, "%H:%M %Z", buf, sizeof(buf));
	assert_string_equal(buf, "02:00 JST");
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_hour, 17);
	assert_string_equal(getenv("TZ"), "UTC");
	notice_time_deinit(&nt);
	unsetenv("TZ");
	tzset();
}

static void
test_bad_deadline(void **state)
{
	static const char *const rows[] = {"soon", "48x", "2026-02-30 25:00",
					   ""};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct notice_time nt;
		const char *err = NULL;
		time_t d;

		setup_nt(&nt, "Europe/Berlin", NULL, NULL, false);
		assert_row_int(i,
			       notice_time_deadline(&nt, 1795453200, rows[i],
						    NULL, (time_t)-1, NULL, &d,
						    &err),
			       -1);
		assert_non_null(err);
		notice_time_deinit(&nt);
	}
}

/* Times as the templates of each language show them. */
static void
test_time_text(void **state)
{
	static const struct {
		const char *lang;
		const char *out;
	} rows[] = {
	    {"en", "Wednesday 25 November 2026, 09:00 CET"},
	    {NULL, "Wednesday 25 November 2026, 09:00 CET"},
	    {"de", "Mittwoch, 25.11.2026, 09:00 CET"},
	    {"fr", "2026-11-25 09:00 CET"},
	};
	struct notice_time nt;
	char buf[96];

	(void)state;
	setup_nt(&nt, "Europe/Berlin", NULL, NULL, false);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		/* 2026-11-25 08:00 UTC */
		notices_time_text(&nt, rows[i].lang, (time_t)1795593600, buf,
				  sizeof(buf));
		assert_row_str(i, buf, rows[i].out);
	}
	notice_time_deinit(&nt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zone),
	    cmocka_unit_test(test_hours),
	    cmocka_unit_test(test_holidays),
	    cmocka_unit_test(test_span),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_zone_restored),
	    cmocka_unit_test(test_bad_deadline),
	    cmocka_unit_test(test_time_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
