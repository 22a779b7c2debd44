/*
 * test-notice.c - lib/support notice helpers: the return date of an
 * out-of-office reply, excerpts, questions, tags, spans, addresses.
 */
#include "unit.h"
#include "support.h"

static void
test_away_until(void **state)
{
	static const struct {
		const char *text;
		const char *expect; /* local date in Europe/Berlin, or "" */
	} rows[] = {
	    {"I am out of the office until 19.03.2024 with limited access.",
	     "2024-03-19"},
	    {"Ich bin bis 5.4.24 nicht im Büro.", "2024-04-05"},
	    {"Je suis absent(e) jusqu'au 12/03/2024.", "2024-03-12"},
	    {"Back on 2024-03-20.", "2024-03-20"},
	    {"I will be back on March 18, 2024.", "2024-03-18"},
	    {"I will be back on 18 March.", "2024-03-18"},
	    {"Zurück am 18. März 2024", "2024-03-18"},
	    {"I am away until Monday.", "2024-03-11"},
	    {"Ich bin bis Mittwoch nicht da.", "2024-03-13"},
	    {"Out of office 03/25/2024", "2024-03-25"}, /* month first */
	    {"我在19.03.2024之前休假。", "2024-03-19"},
	    {"I am out of the office.", ""},
	    {"Call 0171 234 5678.", ""},
	};
	struct notice_time nt;
	const char *err;
	time_t sent;

	(void)state;
	assert_int_equal(notice_time_init(&nt, NULL, &err), 0);
	assert_int_equal(notice_time_set_zone(&nt, "Europe/Berlin", &err), 0);
	/* a Friday */
	assert_int_equal(notice_time_parse(&nt, "2024-03-08 10:00", &sent), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		time_t t = notices_away_until(&nt, rows[i].text, sent);
		char buf[32] = "";

		if (t != 0)
			notice_time_format(&nt, t, "%Y-%m-%d", buf,
					   sizeof(buf));
		assert_row_str(i, buf, rows[i].expect);
	}
	notice_time_deinit(&nt);
}

static void
test_excerpt(void **state)
{
	static const struct {
		const char *text;
		size_t max;
		const char *expect;
		bool question;
	} rows[] = {
	    {"OK, go ahead.\n\n> quoted\n", 200, "OK, go ahead.", false},
	    {"Hi,\n\nCan we move this to Thursday? Tuesday is bad.\nBest\n",
	     200, "Hi, Can we move this to Thursday? Tuesday is bad. Best",
	     true},
	    {"木曜日に変更できますか？\n", 200, "木曜日に変更できますか？",
	     true},
	    {"Thanks, that works for us.\nAnna\nAcme\nmore\n", 200,
	     "Thanks, that works for us. Anna Acme", false},
	    {"äääää", 5, "ää...", false},
	    {"", 200, "", false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *ex = notices_excerpt(rows[i].text, rows[i].max);

		assert_row_str(i, ex, rows[i].expect);
		assert_row_int(i, notices_text_is_question(rows[i].text),
			       rows[i].question);
		free(ex);
	}
}

static void
test_tag_and_span(void **state)
{
	static const struct {
		const char *subject;
		int ret;
		long long issue;
	} tags[] = {
	    {"Re: [#1042] Printer", 1, 1042},
	    {"[#x] [#77] y", 1, 77},
	    {"no tag [#] here", 0, 0},
	    {"[#12", 0, 0},
	};
	static const struct {
		long secs;
		const char *text;
	} spans[] = {
	    {172800, "48 h"},	  {86400, "1 day"}, {259200, "3 days"},
	    {5400, "1 h 30 min"}, {600, "10 min"},  {3600, "1 h"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(tags); i++) {
		int64_t n = 0;

		assert_row_int(i, notices_subject_tag(tags[i].subject, &n),
			       tags[i].ret);
		assert_row_int(i, n, tags[i].issue);
	}
	for (size_t i = 0; i < N_ELEMENTS(spans); i++) {
		char buf[32];

		notices_span_text(spans[i].secs, buf, sizeof(buf));
		assert_row_str(i, buf, spans[i].text);
	}
}

static void
test_addresses(void **state)
{
	static const struct {
		const char *addr;
		bool staff, tracking, ours;
	} rows[] = {
	    {"jane@shop.example", true, false, true},
	    {"jane@contractor.example", true, false, true},
	    {"bob@contractor.example", false, false, false},
	    {"x@shop.example.evil.example", false, false, false},
	    {"notices@shop.example", true, true, true},
	    {"support+notice@shop.example", true, true, true},
	    {"support+notices-2@shop.example", true, true, true},
	    {"support@shop.example", true, false, true},
	    {"anna@acme.example", false, false, false},
	};
	struct config *c = config_new_empty();
	struct notices *ns;
	const char *err;

	(void)state;
	config_set(c, "support", NULL, "address", "support@shop.example");
	config_set(c, "support", NULL, "staff",
		   "@shop.example jane@contractor.example");
	config_set(c, "support", NULL, "tracking_address",
		   "notices@shop.example");
	assert_int_equal(notices_init(c, NULL, &ns, &err), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		assert_row_int(i, notices_is_staff(ns, rows[i].addr),
			       rows[i].staff);
		assert_row_int(i, notices_is_tracking(ns, rows[i].addr),
			       rows[i].tracking);
		assert_row_int(i, notices_is_ours(ns, rows[i].addr),
			       rows[i].ours);
	}
	notices_deinit(&ns);
	config_set(c, "notices", NULL, "deadline", "soon");
	assert_int_equal(notices_init(c, NULL, &ns, &err), -1);
	assert_non_null(strstr(err, "deadline"));
	config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_away_until),
	    cmocka_unit_test(test_excerpt),
	    cmocka_unit_test(test_tag_and_span),
	    cmocka_unit_test(test_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
