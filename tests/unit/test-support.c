/*
 * test-support.c - lib/support and the support tables of lib/store: each
 * matching step, the decisions around it (robots, strangers, closed
 * issues, duplicates, staff), signed Message-IDs, the customer register.
 * Real SQLite on disk in a scratch directory.
 */
#include "unit.h"
#include "msg.h"
#include "engine.h"
#include "store.h"
#include "support.h"

struct fixture {
	char dir[64];
	struct config *config;
	struct store *store;
	struct support *support;
	int64_t anna, bo;
};

static struct fixture F;

static void
open_all(void)
{
	char path[128];
	const char *error;
	struct store_customer c;

	snprintf(path, sizeof(path), "%s/t.db", F.dir);
	if (store_open(path, 5000, &F.store, &error) < 0)
		fail_msg("store_open: %s", error);
	if (support_open(F.config, F.store, &F.support, &error) != 1)
		fail_msg("support_open failed");
	memset(&c, 0, sizeof(c));
	c.name = (char *)"Anna Berg";
	c.company = (char *)"Cedar Dental";
	strlist_add(&c.addresses, "anna@cedar.example");
	strlist_add(&c.addresses, "@cedar-dental.example");
	assert_int_equal(store_customer_add(F.store, &c, &F.anna, &error), 0);
	strlist_free(&c.addresses);
	c.name = (char *)"Bo Chen";
	c.company = (char *)"Fjord Legal";
	strlist_add(&c.addresses, "bo@fjord.example");
	assert_int_equal(store_customer_add(F.store, &c, &F.bo, &error), 0);
	strlist_free(&c.addresses);
}

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	snprintf(F.dir, sizeof(F.dir), "/tmp/ackmail-support.XXXXXX");
	if (mkdtemp(F.dir) == NULL)
		return -1;
	F.config = config_new_empty();
	config_set(F.config, "support", NULL, "address",
		   "support@shop.example");
	config_set(F.config, "support", NULL, "staff", "@shop.example");
	config_set(F.config, "support", NULL, "tracking_address",
		   "notices@shop.example");
	config_set(F.config, "support", NULL, "first_issue_number", "1001");
	config_set(F.config, "support", NULL, "secret", "k3y");
	config_set(F.config, "support", NULL, "match_subject", "yes");
	config_set(F.config, "support", NULL, "reopen_window", "7d");
	clock_set_now(1709539200); /* 2024-03-04 08:00 UTC */
	open_all();
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	support_close(&F.support);
	store_close(&F.store);
	config_free(&F.config);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", F.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* One support action on the current message, as a rule gives it. */
static void
apply_op(const char *op)
{
	struct action *a = action_new(ACTION_SUPPORT);
	const char *error;

	a->op = xstrdup(op);
	if (support_apply(F.support, a, &error) < 0)
		fail_msg("%s: %s", op, error);
	action_free(&a);
}

/* Delivers raw through analyze + what rules/default.sieve does with it
   (ackmail_issue, and ackmail_notice for the tracking address) +
   record; returns the issue and fills the facts' reason. */
static int64_t
deliver(const char *raw, const char *rcpt, char **reason_r, bool *dup_r)
{
	struct msg *m = msg_new_copy(raw, strlen(raw));
	const struct support_facts *f;
	const char *error;
	int64_t issue = -1;
	int r;

	msg_set_envelope(m, "sender@x.example", rcpt);
	if (support_analyze(F.support, m, &f, &error) < 0)
		fail_msg("analyze: %s", error);
	apply_op("issue");
	if (f->tracking)
		apply_op("notice");
	if (store_begin(F.store, &error) < 0)
		fail_msg("begin: %s", error);
	r = support_record(F.support, &issue, &error);
	if (r < 0)
		fail_msg("record: %s", error);
	if (store_commit(F.store, &error) < 0)
		fail_msg("commit: %s", error);
	if (reason_r != NULL)
		*reason_r = xstrdup(f->match_reason);
	if (dup_r != NULL)
		*dup_r = r == 0;
	support_message_done(F.support);
	msg_free(&m);
	return issue;
}

static int64_t
D(const char *raw, const char *want_reason)
{
	char *reason = NULL;
	int64_t n = deliver(raw, "support@shop.example", &reason, NULL);

	if (want_reason != NULL && strstr(reason, want_reason) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", reason, want_reason);
	free(reason);
	return n;
}

static void
test_steps(void **state)
{
	char raw[2048], *id;
	int64_t n1, n2, n;
	const char *error;
	struct store_issue is;

	(void)state;
	/* a customer opens an issue */
	n1 = D("From: Anna <anna@cedar.example>\nSubject: printer broken\n"
	       "Message-ID: <a1@cedar.example>\n\nhelp\n",
	       "new: customer's message");
	assert_int_equal(n1, 1001);
	/* 1. our own signed Message-ID */
	id = support_message_id_new(F.support, n1, "ack");
	assert_int_equal(support_message_id_verify(F.support, id, &n), 1);
	assert_int_equal(n, n1);
	snprintf(raw, sizeof(raw),
		 "From: anna@cedar.example\nSubject: thanks\n"
		 "Message-ID: <a2@cedar.example>\nIn-Reply-To: <%s>\n\nok\n",
		 id);
	assert_int_equal(D(raw, "signed-id"), n1);
	/* a forged signature is not ours */
	id[strlen(id) - strlen(strchr(id, '@')) - 1] ^= 1;
	assert_int_equal(support_message_id_verify(F.support, id, NULL), 0);
	free(id);
	/* mail about no issue (a digest, an on-duty mail) is ours too */
	id = support_message_id_new(F.support, 0, "digest");
	n = -1;
	assert_int_equal(support_message_id_verify(F.support, id, &n), 1);
	assert_int_equal(n, 0);
	free(id);
	/* 2. any recorded Message-ID */
	assert_int_equal(D("From: anna@cedar.example\nSubject: more\n"
			   "Message-ID: <a3@cedar.example>\n"
			   "References: <zz@nowhere> <a1@cedar.example>\n\nx\n",
			   "known-id"),
			 n1);
	/* 3. the tag, from the customer's domain */
	assert_int_equal(D("From: colleague@cedar-dental.example\n"
			   "Subject: [#1001] also here\n"
			   "Message-ID: <a4@cedar.example>\n\nx\n",
			   "tag: [#1001]"),
			 n1);
	/* a stranger quoting the number: a new issue linked to it */
	n2 = D("From: bo@fjord.example\nSubject: Re: [#1001] hello\n"
	       "Message-ID: <b1@fjord.example>\n\nx\n",
	       "from a stranger");
	assert_int_equal(n2, 1002);
	assert_int_equal(store_issue_get(F.store, n2, &is, &error), 1);
	assert_int_equal(is.linked_issue, n1);
	assert_int_equal(is.customer_id, F.bo);
	store_issue_clear(&is);
	/* the stranger's own reply joins the stranger's issue */
	assert_int_equal(D("From: Bo <bo@fjord.example>\nSubject: Re: hello\n"
			   "In-Reply-To: <b1@fjord.example>\n"
			   "Message-ID: <b2@fjord.example>\n\nx\n",
			   "known-id"),
			 n2);
}

static void
test_subject_and_robots(void **state)
{
	int64_t n1, n;
	const char *error;
	struct store_issue is;
	bool dup;

	(void)state;
	n1 = D("From: Bo <bo@fjord.example>\nSubject: VPN drops\n"
	       "Message-ID: <s1@fjord.example>\n\nx\n",
	       "new");
	/* 5. "Re:" with the same subject, no headers: the same issue */
	assert_int_equal(D("From: Bo <bo@fjord.example>\nSubject: Re: VPN "
			   "drops\nMessage-ID: <s2@fjord.example>\n\nx\n",
			   "subject"),
			 n1);
	assert_int_equal(D("From: Bo <bo@fjord.example>\nSubject: VPN drops "
			   "(again)\nMessage-ID: <s3@fjord.example>\n\nx\n",
			   "subject"),
			 n1);
	/* the same subject without a reply marker is a new issue */
	n = D("From: Bo <bo@fjord.example>\nSubject: VPN drops\n"
	      "Message-ID: <s4@fjord.example>\n\nx\n",
	      "new");
	assert_true(n > n1);
	/* staff mail: recorded as ours, attached by its tag */
	{
		char raw[512];

		snprintf(raw, sizeof(raw),
			 "From: Jane <jane@shop.example>\nTo: "
			 "bo@fjord.example\nSubject: [#%lld] Change notice\n"
			 "Message-ID: <n1@shop.example>\n\nx\n",
			 (long long)n1);
		assert_int_equal(
		    deliver(raw, "notices@shop.example", NULL, NULL), n1);
	}
	assert_int_equal(store_issue_get(F.store, n1, &is, &error), 1);
	assert_true(is.last_ours_at != 0);
	store_issue_clear(&is);
	/* 6. an out-of-office without thread headers: the issue we wrote
	   to last */
	assert_int_equal(D("From: Bo <bo@fjord.example>\nSubject: Out of "
			   "Office\nX-Autoreply: yes\nMessage-ID: "
			   "<o1@fjord.example>\n\naway\n",
			   "robot-reply"),
			 n1);
	/* robots never open issues */
	assert_int_equal(D("From: news@lists.example\nList-Id: <x.example>\n"
			   "Subject: newsletter\nMessage-ID: <l1@x>\n\nx\n",
			   "robots never open"),
			 0);
	/* the same Message-ID twice: recorded once, nothing done */
	assert_int_equal(deliver("From: Bo <bo@fjord.example>\nSubject: VPN "
				 "drops\nMessage-ID: <s4@fjord.example>\n\nx\n",
				 "support@shop.example", NULL, &dup),
			 n);
	assert_true(dup);
	assert_int_equal(store_message_count(F.store, &error), 7);
}

static void
test_closed_and_tickets(void **state)
{
	int64_t n1, n;
	const char *error;
	struct store_issue is;
	struct action *a;

	(void)state;
	n1 = D("From: anna@cedar.example\nSubject: backup failed\n"
	       "Message-ID: <c1@cedar.example>\n\nx\n",
	       "new");
	assert_int_equal(store_begin(F.store, &error), 0);
	assert_int_equal(support_issue_set_state(
			     F.support, n1, STORE_ISSUE_CLOSED, false, &error),
			 1);
	assert_int_equal(store_commit(F.store, &error), 0);
	/* within the window: reopens */
	clock_set_now(1709539200 + 2 * 86400);
	assert_int_equal(D("From: anna@cedar.example\nSubject: Re: backup\n"
			   "In-Reply-To: <c1@cedar.example>\n"
			   "Message-ID: <c2@cedar.example>\n\nagain\n",
			   "reopens"),
			 n1);
	assert_int_equal(store_issue_get(F.store, n1, &is, &error), 1);
	assert_int_equal(is.state, STORE_ISSUE_OPEN);
	store_issue_clear(&is);
	/* closed long ago: a new issue linked to it */
	assert_int_equal(store_begin(F.store, &error), 0);
	support_issue_set_state(F.support, n1, STORE_ISSUE_CLOSED, false,
				&error);
	assert_int_equal(store_commit(F.store, &error), 0);
	clock_set_now(1709539200 + 30 * 86400);
	n = D("From: anna@cedar.example\nSubject: Re: backup\n"
	      "In-Reply-To: <c1@cedar.example>\n"
	      "Message-ID: <c3@cedar.example>\n\nagain\n",
	      "closed too long ago");
	assert_true(n > n1);
	assert_int_equal(store_issue_get(F.store, n, &is, &error), 1);
	assert_int_equal(is.linked_issue, n1);
	store_issue_clear(&is);

	/* 4. ticket rules: the vendor's case number maps to the issue it
	   first appeared on */
	assert_int_equal(support_add_ticket_rule(F.support, "vendor",
						 "CASE-([0-9]+)", false,
						 &error),
			 0);
	assert_int_equal(
	    support_add_ticket_rule(F.support, "x", "(", false, &error), -1);
	n1 = D("From: anna@cedar.example\nSubject: scanner CASE-4711\n"
	       "Message-ID: <t1@cedar.example>\n\nx\n",
	       "new");
	assert_int_equal(D("From: help@vendor.example\nSubject: Your case "
			   "CASE-4711 update\nMessage-ID: <v1@vendor>\n\nx\n",
			   "ticket-rule: vendor 4711"),
			 n1);
	/* an unknown support operation is an error */
	a = action_new(ACTION_SUPPORT);
	a->op = xstrdup("frobnicate");
	{
		struct msg *m = msg_new_copy("From: a@b\n\nx\n", 13);
		const struct support_facts *f;

		assert_int_equal(support_analyze(F.support, m, &f, &error), 0);
		assert_int_equal(support_apply(F.support, a, &error), -1);
		free(a->op);
		a->op = xstrdup("state");
		strlist_add(&a->args, "state=waiting");
		assert_int_equal(support_apply(F.support, a, &error), 0);
		support_message_done(F.support);
		msg_free(&m);
	}
	action_free(&a);
}

static void
test_customers(void **state)
{
	const char *error;
	int64_t id;
	struct store_customer c;

	(void)state;
	assert_int_equal(
	    store_customer_find(F.store, "ANNA@Cedar.example", &id, &error), 1);
	assert_int_equal(id, F.anna);
	assert_int_equal(
	    store_customer_find(F.store, "x@cedar-dental.example", &id, &error),
	    1);
	assert_int_equal(id, F.anna);
	assert_int_equal(
	    store_customer_find(F.store, "x@other.example", &id, &error), 0);
	assert_int_equal(
	    store_customer_find_name(F.store, " bo   chen ", &id, &error), 1);
	assert_int_equal(id, F.bo);
	/* an address belongs to one customer only */
	assert_int_equal(store_customer_add_address(F.store, F.bo,
						    "anna@cedar.example", false,
						    &error),
			 -1);
	assert_int_equal(store_customer_get(F.store, F.anna, &c, &error), 1);
	assert_int_equal(c.addresses.n, 2);
	store_customer_clear(&c);
}

/* ---- the plan: acknowledge, a rule's state change, notice replies ---- */

static int closed_calls;
static char *closed_note;

static int
hook_closed(void *ctx, int64_t issue, const char **error_r)
{
	const char *lang;
	const char *note = support_plan_note(F.support, &lang);

	(void)ctx;
	(void)issue;
	(void)error_r;
	closed_calls++;
	free(closed_note);
	closed_note = note != NULL ? xstrdup(note) : NULL;
	return 0;
}

/* Splits "op k=v k=v" into a support action (values without spaces). */
static struct action *
op_action(const char *spec)
{
	struct action *a = action_new(ACTION_SUPPORT);
	struct strlist w = {0};

	strlist_split(&w, spec, " ");
	a->op = xstrdup(w.v[0]);
	for (size_t i = 1; i < w.n; i++)
		strlist_add(&a->args, w.v[i]);
	strlist_free(&w);
	return a;
}

static const struct plan_row {
	const char *raw;
	const char *ops[3];
	int want_ack;		 /* support_plan_ack() */
	int want_told;		 /* closed hook calls */
	const char *want_note;	 /* NULL: none expected */
	bool want_notice;	 /* facts.notice set */
	int64_t want_issue;	 /* where it was recorded */
	const char *want_reason; /* substring of the reason */
} plan_rows[] = {
    {.raw = "From: anna@cedar.example\nSubject: printer\nMessage-ID: "
	    "<p1@c>\n\nhelp\n",
     .ops = {"issue", "acknowledge"},
     .want_ack = 1,
     .want_told = 0,
     .want_notice = false,
     .want_issue = 1001,
     .want_reason = "new"},
    {.raw = "From: anna@cedar.example\nSubject: Re: [#1001] "
	    "printer\nMessage-ID: <p2@c>\n\nstill\n",
     .ops = {"issue", "acknowledge always=1 template=ack lang=de"},
     .want_ack = 2,
     .want_told = 0,
     .want_notice = false,
     .want_issue = 1001,
     .want_reason = "tag"},
    /* a technician resolves it: the customer is told, with his text */
    {.raw =
	 "From: jo@shop.example\nTo: anna@cedar.example\nSubject: Re: [#1001] "
	 "printer\nMessage-ID: <p3@shop>\n\nReplaced the fuser.\n\n> still\n",
     .ops = {"issue", "state state=resolved"},
     .want_ack = 0,
     .want_told = 1,
     .want_note = "Replaced the fuser.",
     .want_notice = false,
     .want_issue = 1001,
     .want_reason = "tag"},
    /* already resolved: nobody is told twice */
    {.raw = "From: jo@shop.example\nTo: anna@cedar.example\nSubject: Re: "
	    "[#1001] printer\nMessage-ID: <p4@shop>\n\nagain\n",
     .ops = {"issue", "state state=resolved"},
     .want_ack = 0,
     .want_told = 0,
     .want_notice = false,
     .want_issue = 1001,
     .want_reason = "tag"},
    {.raw =
	 "From: bo@fjord.example\nSubject: scanner\nMessage-ID: <p5@f>\n\nx\n",
     .ops = {"issue"},
     .want_ack = 0,
     .want_told = 0,
     .want_notice = false,
     .want_issue = 1002,
     .want_reason = "new"},
    /* quiet=1: closed, nobody told */
    {.raw = "From: jo@shop.example\nTo: bo@fjord.example\nSubject: [#1002] "
	    "scanner\nMessage-ID: <p6@shop>\n\ndup\n",
     .ops = {"issue", "state state=closed quiet=1"},
     .want_ack = 0,
     .want_told = 0,
     .want_notice = false,
     .want_issue = 1002,
     .want_reason = "tag"},
    /* a customer's message resolved by a rule, with the rule's note */
    {.raw = "From: bo@fjord.example\nSubject: mouse\nMessage-ID: "
	    "<p7@f>\n\nworks again\n",
     .ops = {"issue", "state state=resolved note=Thanks!"},
     .want_ack = 0,
     .want_told = 1,
     .want_note = "Thanks!",
     .want_notice = false,
     .want_issue = 1003,
     .want_reason = "new"},
    /* a reply to a change notice on no issue: noted, matches nothing */
    {.raw = "From: bo@fjord.example\nSubject: Re: reboot\nMessage-ID: "
	    "<p8@f>\nIn-Reply-To: <n1@shop>\n\nfine\n",
     .ops = {"noissue"},
     .want_ack = 0,
     .want_told = 0,
     .want_notice = true,
     .want_issue = 0,
     .want_reason = "change notice"},
    /* a reply to a change notice about an issue: that issue */
    {.raw = "From: bo@fjord.example\nSubject: Re: new disk\nMessage-ID: "
	    "<p9@f>\nIn-Reply-To: <n2@shop>\n\nok\n",
     .ops = {"issue"},
     .want_ack = 0,
     .want_told = 0,
     .want_notice = true,
     .want_issue = 1002,
     .want_reason = "change notice"},
};

static void
test_plan(void **state)
{
	struct support_hooks hooks = {0};
	struct store_notice n;
	const char *error;
	int64_t id;

	(void)state;
	hooks.closed = hook_closed;
	support_set_hooks(F.support, &hooks);
	memset(&n, 0, sizeof(n));
	n.to = (char *)"bo@fjord.example";
	n.subject = (char *)"reboot";
	n.message_id = (char *)"n1@shop";
	n.sent_at = n.deadline = clock_now();
	assert_int_equal(store_notice_add(F.store, &n, &error), 1);
	n.message_id = (char *)"n2@shop";
	n.issue = 1002;
	assert_int_equal(store_notice_add(F.store, &n, &error), 1);
	for (size_t i = 0; i < N_ELEMENTS(plan_rows); i++) {
		const struct plan_row *row = &plan_rows[i];
		struct msg *m = msg_new_copy(row->raw, strlen(row->raw));
		const struct support_facts *f;
		const char *tmpl, *lang;
		int before = closed_calls;

		msg_set_envelope(m, "x@x.example", "support@shop.example");
		assert_row_int(i, support_analyze(F.support, m, &f, &error), 0);
		for (size_t k = 0; k < N_ELEMENTS(row->ops) && row->ops[k];
		     k++) {
			struct action *a = op_action(row->ops[k]);

			assert_row_int(i, support_apply(F.support, a, &error),
				       0);
			action_free(&a);
		}
		assert_row_int(i, support_plan_ack(F.support, &tmpl, &lang),
			       row->want_ack);
		assert_row_int(i, store_begin(F.store, &error), 0);
		assert_row_int(i, support_record(F.support, &id, &error), 1);
		assert_row_int(i, store_commit(F.store, &error), 0);
		assert_row_int(i, id, row->want_issue);
		assert_row_int(i, closed_calls - before, row->want_told);
		if (row->want_note != NULL) {
			if (closed_note == NULL ||
			    strstr(closed_note, row->want_note) == NULL ||
			    strchr(closed_note, '>') != NULL)
				fail_msg("row %zu: note \"%s\"", i,
					 closed_note != NULL ? closed_note
							     : "(null)");
		}
		assert_row_int(i, f->notice != 0, row->want_notice);
		if (strstr(f->match_reason, row->want_reason) == NULL)
			fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i,
				 f->match_reason, row->want_reason);
		support_message_done(F.support);
		msg_free(&m);
	}
	free(closed_note);
	closed_note = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_steps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_subject_and_robots, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_closed_and_tickets, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_customers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
	};

	log_init("test-support", false, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
