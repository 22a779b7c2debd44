/*
 * test-procmail-support.c - the ACKMAIL_* variables of a procmailrc
 * (lib/procmail/pm-support.c): which assignments become which support
 * operations, the values that go with them whenever they are assigned,
 * what is refused with a warning, and that assignments of the command
 * line (the facts) add nothing.
 */
#include "unit.h"

#include "pm-private.h"

struct sup_case {
	const char *rc;
	const char *ops; /* action_to_json of each action, one a line */
	int warnings;
};

static const struct sup_case cases[] = {
    {"ACKMAIL=issue\n", "{\"action\":\"support\",\"op\":\"issue\"}\n", 0},
    {"ACKMAIL=\"issue acknowledge\"\n",
     "{\"action\":\"support\",\"op\":\"issue\"}\n"
     "{\"action\":\"support\",\"op\":\"acknowledge\"}\n",
     0},
    {"ACKMAIL=newissue\n",
     "{\"action\":\"support\",\"op\":\"issue\",\"new\":\"1\"}\n", 0},
    {"ACKMAIL=noissue\nACKMAIL=notice\n",
     "{\"action\":\"support\",\"op\":\"noissue\"}\n"
     "{\"action\":\"support\",\"op\":\"notice\"}\n",
     0},
    /* queue and number go with issue, before or after */
    {"ACKMAIL=issue\nACKMAIL_QUEUE=billing\nACKMAIL_ISSUE=42\n",
     "{\"action\":\"support\",\"op\":\"issue\",\"queue\":\"billing\","
     "\"number\":\"42\"}\n",
     0},
    {"ACKMAIL_QUEUE=a\nACKMAIL_QUEUE=b\nACKMAIL=issue\n",
     "{\"action\":\"support\",\"op\":\"issue\",\"queue\":\"b\"}\n", 0},
    {"ACKMAIL_STATE=waiting\n",
     "{\"action\":\"support\",\"op\":\"state\",\"state\":\"waiting\"}\n", 0},
    {"ACKMAIL_STATE=resolved\nACKMAIL_QUIET=yes\n",
     "{\"action\":\"support\",\"op\":\"state\",\"state\":\"resolved\","
     "\"quiet\":\"1\"}\n",
     0},
    {"ACKMAIL_LANGUAGE=de\nACKMAIL=ack\nACKMAIL_TEMPLATE=short\n",
     "{\"action\":\"support\",\"op\":\"acknowledge\",\"template\":\"short\","
     "\"lang\":\"de\"}\n",
     0},
    {"ACKMAIL_TAG=vip\nACKMAIL_TAG=\n",
     "{\"action\":\"support\",\"op\":\"tag\",\"tag\":\"vip\"}\n", 0},
    {"ACKMAIL_TICKET_SYSTEM=vendor\nACKMAIL_TICKET=\"Case ([0-9]+)\"\n",
     "{\"action\":\"support\",\"op\":\"ticket_rule\",\"system\":\"vendor\","
     "\"pattern\":\"Case ([0-9]+)\"}\n",
     0},
    {"ACKMAIL_TICKET_BODY=yes\nACKMAIL_TICKET=\"HD-([0-9]+)\"\n",
     "{\"action\":\"support\",\"op\":\"ticket_rule\",\"pattern\":\"HD-([0-"
     "9]+)\",\"body\":\"1\"}\n",
     0},
    /* inside blocks, clones and only where the recipe runs */
    {":0\n* ^Subject: hello\n{ ACKMAIL=issue }\n:0\n* ^Subject: nope\n"
     "{ ACKMAIL=notice }\n:0 c\n{ ACKMAIL_TAG=c }\n",
     "{\"action\":\"support\",\"op\":\"issue\"}\n"
     "{\"action\":\"support\",\"op\":\"tag\",\"tag\":\"c\"}\n",
     0},
    /* refused: a warning, no operation */
    {"ACKMAIL=frobnicate\n", "", 1},
    {"ACKMAIL_STATE=sleeping\n", "", 1},
    {"ACKMAIL_TICKET=\"([\"\n", "", 1},
    /* other variables, and the facts of the command line, add nothing */
    {"OTHER=issue\nACKMAILX=issue\n", "", 0},
};

static void
test_assignments(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		char path[] = "/tmp/test-pm-support.XXXXXX";
		int fd = mkstemp(path);
		const char *msg = "From: a@b.example\nSubject: hello\n\nx\n";
		struct pm_options opt = {.mailfilter = true, .dry_run = true};
		char *rcs[2] = {path, NULL};
		char a1[] = "ACKMAIL_STATE=open", a2[] = "ACKMAIL=issue",
		     a3[] = "DEFAULT=/dev/null";
		char *assigns[] = {a1, a2, a3, NULL};
		struct pm_support *ps = pm_support_new(path);
		struct result *result = result_new();
		struct diag diag = {0};
		struct str out = STR_INIT, errors = STR_INIT;

		assert_true(fd >= 0);
		assert_int_equal(write(fd, cases[i].rc, strlen(cases[i].rc)),
				 (ssize_t)strlen(cases[i].rc));
		close(fd);
		opt.on_assign = pm_support_on_assign;
		opt.on_assign_arg = ps;
		(void)pm_run(&opt, assigns, rcs, 1, msg, strlen(msg), NULL,
			     NULL, &errors);
		pm_support_finish(&ps, result, &diag);
		str_append(&out, "");
		for (size_t k = 0; k < result_count(result); k++) {
			struct action *a = result_at(result, k);

			if (a->kind != ACTION_SUPPORT)
				continue;
			action_to_json(a, &out);
			str_appendc(&out, '\n');
		}
		assert_row_str(i, str_c(&out), cases[i].ops);
		assert_row_int(i, diag.warnings, cases[i].warnings);
		unlink(path);
		str_free(&out);
		str_free(&errors);
		diag_free(&diag);
		result_free(&result);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_assignments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
