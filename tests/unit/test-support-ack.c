/*
 * test-support-ack.c - the acknowledgement gate, the rate limits, the
 * template renderer, the composed answer (every header) and the
 * signed Message-IDs.
 */
#include <gmime/gmime.h>

#include "actions.h"
#include "engine.h"
#include "msg.h"
#include "store.h"
#include "support.h"
#include "unit.h"
#include "util.h"

#define TEMPLATES "rules/templates"

static struct ack_settings *
settings(void)
{
	static struct ack_settings s;
	static bool done;
	struct config *c;
	char *err;

	if (done)
		return &s;
	c = config_new_empty();
	config_set(c, "support", NULL, "address",
		   "support@nwit.example help@nwit.example");
	config_set(c, "support", NULL, "staff", "@staff.nwit.example");
	config_set(c, "support", NULL, "name", "Northwind Service Desk");
	config_set(c, "support", NULL, "phone", "+49 30 1234567");
	config_set(c, "support", NULL, "secret", "s3cret");
	config_set(c, "support", NULL, "response_time", "4 business hours");
	config_set(c, "ack", NULL, "template_dir", TEMPLATES);
	config_set(c, "ack", NULL, "robot_pattern", "^(nas|backup)[0-9]+@");
	assert_int_equal(ack_settings_load(c, &s, &err), 0);
	config_free(&c);
	done = true;
	return &s;
}

static struct msg *
mk(const char *text, const char *env_from)
{
	struct msg *m = msg_new_copy(text, strlen(text));

	if (env_from != NULL)
		msg_set_envelope(m, env_from, "support@nwit.example");
	return m;
}

#define HUMAN_HDR                                                              \
	"From: Uwe Fischer <uwe@umbra.example>\n"                              \
	"To: support@nwit.example\n"                                           \
	"Subject: Printer broken\n"                                            \
	"Message-ID: <1@umbra.example>\n"

static void
test_gate(void **state)
{
	static const struct {
		const char *msg;
		const char *env;
		int allow;
		const char *reason;
	} rows[] = {
	    {HUMAN_HDR "\nhello\n", "uwe@umbra.example", 1, NULL},
	    {HUMAN_HDR "Auto-Submitted: no\n\nx\n", "uwe@umbra.example", 1,
	     NULL},
	    {HUMAN_HDR "Auto-Submitted: auto-replied\n\nx\n",
	     "uwe@umbra.example", 0, "Auto-Submitted"},
	    {HUMAN_HDR "Auto-Submitted: auto-generated; owner=x\n\nx\n",
	     "uwe@umbra.example", 0, "Auto-Submitted"},
	    {HUMAN_HDR "\nx\n", "", 0, "empty return path"},
	    {"Return-Path: <>\n" HUMAN_HDR "\nx\n", NULL, 0,
	     "empty return path"},
	    {HUMAN_HDR "Precedence: bulk\n\nx\n", "uwe@umbra.example", 0,
	     "Precedence"},
	    {HUMAN_HDR "Precedence: junk\n\nx\n", "uwe@umbra.example", 0,
	     "Precedence"},
	    {HUMAN_HDR "Precedence: list\n\nx\n", "uwe@umbra.example", 0,
	     "Precedence"},
	    {HUMAN_HDR "Precedence: auto_reply\n\nx\n", "uwe@umbra.example", 0,
	     "Precedence"},
	    {HUMAN_HDR "Precedence: first-class\n\nx\n", "uwe@umbra.example", 1,
	     NULL},
	    {HUMAN_HDR "List-Id: <x.lists.example>\n\nx\n", "uwe@umbra.example",
	     0, "List-"},
	    {HUMAN_HDR "List-Unsubscribe: <mailto:x@y>\n\nx\n",
	     "uwe@umbra.example", 0, "List-"},
	    {HUMAN_HDR "X-Auto-Response-Suppress: DR, OOF\n\nx\n",
	     "uwe@umbra.example", 0, "X-Auto-Response-Suppress"},
	    {HUMAN_HDR "X-Auto-Response-Suppress: All\n\nx\n",
	     "uwe@umbra.example", 0, "X-Auto-Response-Suppress"},
	    {HUMAN_HDR "X-Auto-Response-Suppress: DR, RN\n\nx\n",
	     "uwe@umbra.example", 1, NULL},
	    {HUMAN_HDR "X-Autoreply: yes\n\nx\n", "uwe@umbra.example", 0,
	     "X-Autoreply"},
	    {HUMAN_HDR "X-Autorespond: yes\n\nx\n", "uwe@umbra.example", 0,
	     "X-Autorespond"},
	    {HUMAN_HDR "\nx\n", "MAILER-DAEMON@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "postmaster@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "owner-list@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "list-request@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "noreply@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "no-reply@umbra.example", 0, "robot"},
	    {HUMAN_HDR "\nx\n", "nas01@umbra.example", 0, "robot_pattern"},
	    {"From: NAS <backup7@umbra.example>\nTo: "
	     "support@nwit.example\n\nx\n",
	     "x@umbra.example", 0, "robot_pattern"},
	    {HUMAN_HDR "Content-Type: multipart/report; "
		       "report-type=delivery-status; boundary=b\n\nx\n",
	     "uwe@umbra.example", 0, "bounce"},
	    {HUMAN_HDR
	     "Content-Type: multipart/report; "
	     "report-type=disposition-notification; boundary=b\n\nx\n",
	     "uwe@umbra.example", 0, "read receipt"},
	    {HUMAN_HDR "X-Ackmail-Loop: support@nwit.example\n\nx\n",
	     "uwe@umbra.example", 0, "loop"},
	    {HUMAN_HDR "X-Loop: support@nwit.example\n\nx\n",
	     "uwe@umbra.example", 0, "X-Loop"},
	    {"From: Desk <support@nwit.example>\nTo: "
	     "support@nwit.example\n\nx\n",
	     "support@nwit.example", 0, "our own address"},
	    {"From: Jane <jane@staff.nwit.example>\nTo: support@nwit.example\n"
	     "\nx\n",
	     "jane@staff.nwit.example", 0, "staff"},
	    {"From: Uwe <uwe@umbra.example>\nTo: someone@else.example\n\nx\n",
	     "uwe@umbra.example", 0, "not addressed"},
	    {"From: Uwe <uwe@umbra.example>\nTo: a@b.example\nCc: "
	     "Help <HELP@nwit.example>\n\nx\n",
	     "uwe@umbra.example", 1, NULL},
	    {HUMAN_HDR "X-Spam-Flag: YES\n\nx\n", "uwe@umbra.example", 0,
	     "spam"},
	    {HUMAN_HDR "X-Spam-Status: Yes, score=11\n\nx\n",
	     "uwe@umbra.example", 0, "spam"},
	    {HUMAN_HDR "X-Spam-Status: No, score=1\n\nx\n", "uwe@umbra.example",
	     1, NULL},
	    {HUMAN_HDR "Content-Class: urn:content-classes:calendarmessage\n"
		       "\nx\n",
	     "uwe@umbra.example", 0, "calendar"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = mk(rows[i].msg, rows[i].env);
		const char *reason = NULL;
		int r = ack_gate_message(settings(), m, NULL, &reason);

		assert_row_int(i, r, rows[i].allow);
		if (rows[i].reason != NULL &&
		    (reason == NULL || strstr(reason, rows[i].reason) == NULL))
			fail_msg("row %zu: reason '%s' lacks '%s'", i,
				 reason ? reason : "(null)", rows[i].reason);
		msg_free(&m);
	}
}

static void
test_own_message_id(void **state)
{
	struct ack_settings *s = settings();
	char *id = ack_message_id_new(s, 1234);
	char *bad = xstrdup(id);
	char *text;
	struct msg *m;
	const char *reason;

	(void)state;
	assert_true(ack_message_id_is_ours(s, id));
	bad[strlen("ackmail.1234.") + 1] ^= 1;
	assert_false(ack_message_id_is_ours(s, bad));
	assert_false(ack_message_id_is_ours(s, "12345@example.com"));
	text = xasprintf("From: x@umbra.example\nTo: support@nwit.example\n"
			 "Message-ID: <%s>\n\nx\n",
			 id);
	m = mk(text, "x@umbra.example");
	assert_int_equal(ack_gate_message(s, m, NULL, &reason), 0);
	assert_string_equal(reason, "our own Message-ID");
	msg_free(&m);
	free(text);
	free(bad);
	free(id);
}

static void
test_limits(void **state)
{
	struct ack_settings s = *settings();
	char path[] = "/tmp/ackmail-unit-ack.XXXXXX";
	struct store *store;
	const char *error, *reason;
	time_t now = 1795453200;

	(void)state;
	assert_non_null(mkdtemp(path));
	{
		char *db = xasprintf("%s/db", path);

		assert_int_equal(store_open(db, 1000, &store, &error), 0);
		free(db);
	}
	s.daily_cap = 3;
	s.global_per_minute = 5;
	/* one per sender and issue per period */
	assert_int_equal(
	    ack_gate_limits(&s, store, "a@x", 1, now, &reason, &error), 1);
	store_ack_log_add(store, "a@x", 1, now, "ack", NULL, NULL, 1, &error);
	assert_int_equal(
	    ack_gate_limits(&s, store, "a@x", 1, now + 10, &reason, &error), 0);
	assert_non_null(strstr(reason, "this issue"));
	assert_int_equal(ack_gate_limits(&s, store, "a@x", 1,
					 now + s.period + 1, &reason, &error),
			 1);
	/* suppressed entries do not count */
	store_ack_log_add(store, "b@x", 2, now, "ack", NULL, "X-Loop", 0,
			  &error);
	assert_int_equal(
	    ack_gate_limits(&s, store, "b@x", 2, now + 1, &reason, &error), 1);
	/* daily cap per sender over several issues */
	store_ack_log_add(store, "a@x", 2, now + 1, "ack", NULL, NULL, 2,
			  &error);
	store_ack_log_add(store, "a@x", 3, now + 2, "ack", NULL, NULL, 3,
			  &error);
	assert_int_equal(
	    ack_gate_limits(&s, store, "a@x", 4, now + 100, &reason, &error),
	    0);
	assert_non_null(strstr(reason, "daily"));
	/* global storm limit */
	store_ack_log_add(store, "c@x", 5, now + 3, "ack", NULL, NULL, 4,
			  &error);
	store_ack_log_add(store, "d@x", 6, now + 4, "ack", NULL, NULL, 5,
			  &error);
	assert_int_equal(
	    ack_gate_limits(&s, store, "e@x", 7, now + 5, &reason, &error), 0);
	assert_non_null(strstr(reason, "storm"));
	assert_int_equal(
	    ack_gate_limits(&s, store, "e@x", 7, now + 200, &reason, &error),
	    1);
	store_close(&store);
	{
		char *cmd = xasprintf("rm -rf '%s'", path);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
}

static void
test_render(void **state)
{
	static const struct tmpl_var vars[] = {
	    {"name", "Uwe", false},
	    {"empty", "", false},
	    {"evil", "a\r\nBcc: victim@x\n\tz", false},
	    {"text", "line 1\r\nline 2\n\n\x01para\n\n", true},
	};
	static const struct {
		const char *in;
		int ret;
		const char *subject;
		const char *body;
	} rows[] = {
	    {"Hello {{name}}!\n", 0, NULL, "Hello Uwe!\n"},
	    {"Hello {{ name }}!", 0, NULL, "Hello Uwe!"},
	    {"Hi {{empty|there}}, {{nope|x}}", 0, NULL, "Hi there, x"},
	    {"Subject: [#1] {{name}}\n\nbody {{name}}\n", 0, "[#1] Uwe",
	     "body Uwe\n"},
	    {"Subject: {{evil}}\n\n{{evil}}", 0, "a Bcc: victim@x z",
	     "a Bcc: victim@x z"},
	    {"literal {{{{name}}", 0, NULL, "literal {{name}}"},
	    {"broken {{name", -1, NULL, NULL},
	    {"broken {{}}", -1, NULL, NULL},
	    {"Subject: x\nFrom: y\n\nz", 0, "x", "z"},
	    {"no: header block? {{name}}\n", 0, NULL,
	     "no: header block? Uwe\n"},
	    {"Grüße, {{name}} ✓", 0, NULL, "Grüße, Uwe ✓"},
	    /* a text of lines keeps them in the body, never in the
	       subject; CR, other controls and the trailing breaks go */
	    {"Subject: {{text}}\n\n> {{text}}\nend\n", 0, "line 1 line 2 para",
	     "> line 1\nline 2\n\n para\nend\n"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *subject, *body, *err;
		int r =
		    tmpl_render(rows[i].in, strlen(rows[i].in), vars,
				N_ELEMENTS(vars), false, &subject, &body, &err);

		assert_row_int(i, r, rows[i].ret);
		if (r == 0) {
			if (rows[i].subject == NULL && subject != NULL)
				fail_msg("row %zu: unexpected subject", i);
			if (rows[i].subject != NULL)
				assert_row_str(i, subject, rows[i].subject);
			assert_row_str(i, body, rows[i].body);
		}
		free(subject);
		free(body);
		free(err);
	}
}

static void
test_subject_clean(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
	    {"Printer broken", "Printer broken"},
	    {"Re: Printer broken", "Printer broken"},
	    {"RE: AW: Fwd: Printer", "Printer"},
	    {"Re[2]: [#1234] Printer", "Printer"},
	    {"[#1234] Re: [#1234] Printer", "Printer"},
	    {"AW: WG: SV: Antw: Drucker", "Drucker"},
	    {"Reboot: tonight", "Reboot: tonight"},
	    {"", ""},
	    {"a\r\nBcc: x@y", "a Bcc: x@y"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *s = ack_subject_clean(rows[i].in);

		assert_row_str(i, s, rows[i].out);
		free(s);
	}
}

/* The value of header name in the composed text (unfolded, decoded). */
static char *
hdr(const char *data, const char *name)
{
	struct msg *m = msg_new_copy(data, strlen(data));
	char *v = msg_header_get(m, name, true);

	msg_free(&m);
	return v;
}

static void
test_compose(void **state)
{
	static const struct {
		const char *msg;
		const char *lang;
		const char *subject;
		const char *to_header;
		const char *body_has;
	} rows[] = {
	    {HUMAN_HDR "\nhello\n", "en", "[#1234] Printer broken",
	     "Uwe Fischer <uwe@umbra.example>", "within 4 business hours"},
	    {"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@umbra.example>\n"
	     "To: support@nwit.example\n"
	     "Subject: "
	     "=?utf-8?q?Re=3A_Drucker_druckt_nicht_=E2=80=93_dringend?=\n"
	     "Message-ID: <2@umbra.example>\n"
	     "References: <0@nwit.example> <1@umbra.example>\n\nhallo\n",
	     "de", "[#1234] Drucker druckt nicht – dringend",
	     "Jürgen Müller <jm@umbra.example>", "Vorgangsnummer #1234"},
	    {"From: Evil <evil@umbra.example>\nTo: support@nwit.example\n"
	     "Subject: =?utf-8?q?hi=0D=0ABcc=3A_victim=40x.example?=\n"
	     "Message-ID: <3@umbra.example>\n\nx\n",
	     "en", "[#1234] hi Bcc: victim@x.example",
	     "Evil <evil@umbra.example>", "hi Bcc: victim@x.example"},
	    {"From: \"=?utf-8?b?5bGx55Sw?=\" <yamada@umbra.example>\n"
	     "To: support@nwit.example\nSubject: [#1234] Re: [#1234] "
	     "=?utf-8?b?5Y2w5Yi35qmf?=\nMessage-ID: <4@umbra.example>\n\nx\n",
	     "en", "[#1234] 印刷機", "山田 <yamada@umbra.example>",
	     "Hello 山田"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = mk(rows[i].msg, NULL);
		struct ack_request req = {0};
		char *data, *mid, *err, *v, *raw_subject;
		size_t len;
		struct msg *out;
		const char *body;
		size_t blen;

		req.kind = "ack";
		req.msg = m;
		req.issue = 1234;
		req.lang = rows[i].lang;
		if (ack_compose(settings(), &req,
				i == 0	 ? "uwe@umbra.example"
				: i == 1 ? "jm@umbra.example"
				: i == 2 ? "evil@umbra.example"
					 : "yamada@umbra.example",
				&data, &len, &mid, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		v = hdr(data, "Subject");
		assert_row_str(i, v, rows[i].subject);
		free(v);
		raw_subject = NULL;
		{
			struct msg *o = msg_new_copy(data, len);

			raw_subject = msg_header_get(o, "Subject", false);
			msg_free(&o);
		}
		for (const char *p = raw_subject; *p; p++)
			if ((unsigned char)*p >= 0x80)
				fail_msg("row %zu: 8-bit in raw Subject", i);
		free(raw_subject);
		v = hdr(data, "To");
		assert_row_str(i, v, rows[i].to_header);
		free(v);
		v = hdr(data, "From");
		assert_row_str(i, v,
			       "Northwind Service Desk <support@nwit.example>");
		free(v);
		v = hdr(data, "Auto-Submitted");
		assert_row_str(i, v, "auto-replied");
		free(v);
		v = hdr(data, "X-Auto-Response-Suppress");
		assert_row_str(i, v, "All");
		free(v);
		v = hdr(data, "Precedence");
		assert_row_str(i, v, "bulk");
		free(v);
		v = hdr(data, "X-Ackmail-Loop");
		assert_row_str(i, v, "support@nwit.example");
		free(v);
		v = hdr(data, "MIME-Version");
		assert_row_str(i, v, "1.0");
		free(v);
		v = hdr(data, "Date");
		assert_non_null(v);
		free(v);
		v = hdr(data, "Message-ID");
		{
			char *want = xasprintf("<%s>", mid);

			assert_row_str(i, v, want);
			free(want);
		}
		assert_true(ack_message_id_is_ours(settings(), v));
		free(v);
		v = hdr(data, "In-Reply-To");
		{
			char *want = xasprintf("<%zu@umbra.example>", i + 1);

			assert_row_str(i, v, want);
			free(want);
		}
		free(v);
		v = hdr(data, "References");
		if (i == 1)
			assert_row_str(i, v,
				       "<0@nwit.example> <1@umbra.example> "
				       "<2@umbra.example>");
		else
			assert_non_null(strstr(v, "@umbra.example>"));
		free(v);
		v = hdr(data, "Content-Type");
		assert_non_null(strstr(v, "text/plain"));
		assert_non_null(strstr(v, "utf-8"));
		free(v);
		v = hdr(data, "Bcc");
		if (v != NULL)
			fail_msg("row %zu: a Bcc header was injected", i);
		/* no header line other than ours may start with Bcc */
		if (strstr(data, "\nBcc:") != NULL)
			fail_msg("row %zu: injected line", i);
		out = msg_new_copy(data, len);
		body = msg_text(out);
		blen = strlen(body);
		if (memcasemem(body, blen, rows[i].body_has,
			       strlen(rows[i].body_has)) == NULL)
			fail_msg("row %zu: body lacks '%s':\n%s", i,
				 rows[i].body_has, body);
		/* the original is never quoted */
		if (strstr(body, "hallo") != NULL ||
		    strstr(body, "hello\n") != NULL)
			fail_msg("row %zu: the original text was quoted", i);
		if (i == 1) {
			v = hdr(data, "Content-Transfer-Encoding");
			assert_row_str(i, v, "quoted-printable");
			free(v);
		}
		msg_free(&out);
		msg_free(&m);
		free(data);
		free(mid);
	}
}

static void
test_templates_strict(void **state)
{
	static const char *const names[] = {"ack.en", "ack.de", "resolved.en",
					    "resolved.de"};
	static const struct tmpl_var vars[] = {
	    {"customer_name", "x", false},
	    {"customer_email", "x", false},
	    {"issue", "1", false},
	    {"subject", "x", false},
	    {"response_time", "x", false},
	    {"business_hours", "x", false},
	    {"support_phone", "x", false},
	    {"support_name", "x", false},
	    {"support_address", "x", false},
	    {"note", "x", false},
	    {"date", "x", false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(names); i++) {
		char *path = xasprintf(TEMPLATES "/%s.txt", names[i]);
		char *text, *subject, *body, *err = NULL;
		size_t len;

		assert_row_int(i, path_read_file(path, 65536, &text, &len), 0);
		if (tmpl_render(text, len, vars, N_ELEMENTS(vars), true,
				&subject, &body, &err) < 0)
			fail_msg("row %zu: %s: %s", i, path, err);
		assert_non_null(subject);
		free(subject);
		free(body);
		free(text);
		free(path);
	}
}

/* The shipped reminder, on-duty and notice templates render strictly
   with the variables their users give them. */
static void
test_notice_templates_strict(void **state)
{
	static const struct {
		const char *name;
		const char *const *vars;
		bool subject;
	} rows[] = {
	    {"reminder.en", notices_notice_vars, true},
	    {"reminder.de", notices_notice_vars, true},
	    {"on-duty-item.en", notices_notice_vars, false},
	    {"on-duty-item.de", notices_notice_vars, false},
	    {"on-duty.en", notices_on_duty_vars, true},
	    {"on-duty.de", notices_on_duty_vars, true},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *path = xasprintf(TEMPLATES "/%s.txt", rows[i].name);
		char *text, *subject, *body, *err = NULL;
		struct tmpl_var vars[32];
		size_t n = 0, len;

		for (; rows[i].vars[n] != NULL; n++)
			vars[n] =
			    (struct tmpl_var){rows[i].vars[n], "x", false};
		assert_row_int(i, path_read_file(path, 65536, &text, &len), 0);
		if (tmpl_render(text, len, vars, n, true, &subject, &body,
				&err) < 0)
			fail_msg("row %zu: %s: %s", i, path, err);
		assert_row_int(i, subject != NULL, rows[i].subject);
		free(subject);
		free(body);
		free(text);
		free(path);
	}
}

static void
test_vacation(void **state)
{
	static const struct {
		const char *msg;
		const char *env_from;
		int queued;
	} rows[] = {
	    {"From: Uwe <uwe@umbra.example>\nTo: jane@nwit.example\n"
	     "Subject: Meeting\nMessage-ID: <v1@umbra.example>\n\nhi\n",
	     "uwe@umbra.example", 1},
	    {"From: Uwe <uwe@umbra.example>\nTo: jane@nwit.example\n"
	     "Subject: Out\nAuto-Submitted: auto-replied\n\nhi\n",
	     "uwe@umbra.example", 0},
	    {"From: List <l@umbra.example>\nTo: jane@nwit.example\n"
	     "List-Id: <x>\nSubject: news\n\nhi\n",
	     "l-bounces@umbra.example", 0},
	    {"From: Uwe <uwe@umbra.example>\nTo: other@nwit.example\n"
	     "Subject: not for jane\n\nhi\n",
	     "uwe@umbra.example", 0},
	};
	char path[] = "/tmp/ackmail-unit-vac.XXXXXX";
	struct store *store;
	struct config *c = config_new_empty();
	const char *error;
	char *db;

	(void)state;
	assert_non_null(mkdtemp(path));
	db = xasprintf("%s/db", path);
	assert_int_equal(store_open(db, 1000, &store, &error), 0);
	config_set(c, "ack", NULL, "template_dir", TEMPLATES);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy(rows[i].msg, strlen(rows[i].msg));
		struct action *a = action_new(ACTION_VACATION);
		struct exec_ctx ctx;
		struct store_outbox_item *v;
		enum outcome oc;
		size_t n;

		msg_set_envelope(m, rows[i].env_from, "jane@nwit.example");
		exec_ctx_init(&ctx);
		ctx.msg = m;
		ctx.config = c;
		ctx.store = store;
		a->vac_to = xstrdup(rows[i].env_from);
		a->vac_body = xstrdup("I am away until Monday. Grüße");
		a->vac_subject = xstrdup("Away: Meeting");
		assert_row_int(i, act_vacation.prepare(a, &ctx, &oc, &error),
			       0);
		assert_int_equal(
		    store_outbox_list(store, "queued", &v, &n, &error), 0);
		assert_row_int(i, n, rows[i].queued);
		for (size_t j = 0; j < n; j++) {
			struct store_outbox_item it;

			assert_int_equal(
			    store_outbox_get(store, v[j].id, &it, &error), 1);
			{
				char *s = hdr(it.data, "Subject");

				assert_row_str(i, s, "Away: Meeting");
				free(s);
				s = hdr(it.data, "From");
				assert_row_str(i, s,
					       "Support <jane@nwit.example>");
				free(s);
				s = hdr(it.data, "Auto-Submitted");
				assert_row_str(i, s, "auto-replied");
				free(s);
			}
			assert_row_str(i, it.kind, "vacation");
			assert_row_str(i, it.rcpts, "uwe@umbra.example");
			assert_row_str(i, it.env_from, "");
			store_outbox_drop(store, it.id, &error);
			store_outbox_item_free(&it);
			store_outbox_item_free(&v[j]);
		}
		free(v);
		/* the delivery commits: the per-sender record is written */
		assert_row_int(i, act_vacation.commit(a, &ctx, &oc, &error), 0);
		assert_null(a->state);
		exec_ctx_deinit(&ctx);
		action_free(&a);
		msg_free(&m);
	}
	store_close(&store);
	config_free(&c);
	{
		char *cmd = xasprintf("rm -rf '%s'", path);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(db);
}

static void
test_redirect_queued(void **state)
{
	static const char text[] = "From: a@umbra.example\nTo: jane@x\n"
				   "Message-ID: <r1@umbra.example>\n"
				   "Subject: fwd me\n\nbody\n";
	char path[] = "/tmp/ackmail-unit-red.XXXXXX";
	struct store *store;
	struct store_outbox_item *v, it;
	struct config *c = config_new_empty();
	struct msg *m = msg_new_copy(text, strlen(text));
	struct action *a = action_new(ACTION_REDIRECT);
	struct exec_ctx ctx;
	const char *error;
	enum outcome oc;
	size_t n;
	char *db;

	(void)state;
	assert_non_null(mkdtemp(path));
	db = xasprintf("%s/db", path);
	assert_int_equal(store_open(db, 1000, &store, &error), 0);
	msg_set_envelope(m, "a@umbra.example", "jane@x");
	exec_ctx_init(&ctx);
	ctx.msg = m;
	ctx.config = c;
	ctx.store = store;
	a->address = xstrdup("boss@elsewhere.example");
	assert_int_equal(act_redirect.prepare(a, &ctx, &oc, &error), 0);
	assert_int_equal(act_redirect.commit(a, &ctx, &oc, &error), 0);
	assert_non_null(strstr(str_c(&ctx.summary), "queued"));
	assert_int_equal(store_outbox_list(store, "queued", &v, &n, &error), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_get(store, v[0].id, &it, &error), 1);
	assert_string_equal(it.kind, "redirect");
	assert_string_equal(it.env_from, "a@umbra.example");
	assert_string_equal(it.rcpts, "boss@elsewhere.example");
	assert_string_equal(it.message_id, "r1@umbra.example");
	assert_int_equal(it.len, strlen(text));
	assert_memory_equal(it.data, text, it.len);
	store_outbox_item_free(&it);
	store_outbox_item_free(&v[0]);
	free(v);
	exec_ctx_deinit(&ctx);
	action_free(&a);
	msg_free(&m);
	store_close(&store);
	config_free(&c);
	{
		char *cmd = xasprintf("rm -rf '%s'", path);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gate),
	    cmocka_unit_test(test_own_message_id),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_subject_clean),
	    cmocka_unit_test(test_compose),
	    cmocka_unit_test(test_templates_strict),
	    cmocka_unit_test(test_notice_templates_strict),
	    cmocka_unit_test(test_vacation),
	    cmocka_unit_test(test_redirect_queued),
	};

	setenv("ACKMAIL_NOW", "2026-11-23T17:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
