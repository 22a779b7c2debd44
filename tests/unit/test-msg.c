/*
 * test-msg.c - lib/msg: From_ line, header block, folded and encoded
 * headers, address lists, thread keys, subjects, MIME text.
 */
#include "unit.h"
#include "msg.h"

static struct msg *
M(const char *s)
{
	return msg_new_copy(s, strlen(s));
}

static void
test_layout(void **state)
{
	static const struct {
		const char *raw;
		size_t from_len, hdrs, body_len;
		bool crlf;
	} rows[] = {
	    {"From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n", 34, 1,
	     5, false},
	    {"Subject: x\r\nTo: y\r\n\r\nbody\r\n", 0, 2, 6, true},
	    {"Subject: x\n", 0, 1, 0, false},
	    {"", 0, 0, 0, false},
	    {"no header here\n\nbody\n", 0, 0, 5, false},
	    {"Subject: a\n folded\nX: 1\n\n", 0, 2, 0, false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = M(rows[i].raw);
		size_t fl = 0, bl;
		const char *f = msg_from_line(m, &fl);

		assert_row_int(i, f == NULL ? 0 : fl + 1, rows[i].from_len);
		assert_row_int(i, msg_header_count(m), rows[i].hdrs);
		msg_body(m, &bl);
		assert_row_int(i, bl, rows[i].body_len);
		assert_row_int(i, msg_is_crlf(m), rows[i].crlf);
		assert_row_int(i, msg_size(m),
			       strlen(rows[i].raw) - rows[i].from_len);
		msg_free(&m);
	}
}

static void
test_headers(void **state)
{
	static const struct {
		const char *raw, *name;
		bool decoded;
		const char *want;
	} rows[] = {
	    {"Subject: a\n b\n\n", "subject", false, "a b"},
	    {"Subject: a\r\n\tb\r\n\r\n", "Subject", false, "a b"},
	    {"Subject: a\n\t\tb\n\n", "Subject", false, "a \tb"},
	    {"Subject: =?UTF-8?B?w6TDtsO8?=\n\n", "Subject", true,
	     "\xc3\xa4\xc3\xb6\xc3\xbc"},
	    {"Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= x\n\n", "Subject", true,
	     "Gr\xc3\xbc\xc3\x9f"
	     "e x"},
	    {"Subject: caf\xe9\n\n", "Subject", true, "caf\xc3\xa9"},
	    /* a value starting on a folded line: the blanks before a
	       first encoded word go, before plain text they stay */
	    {"Subject:\n =?UTF-8?B?w6TDtsO8?=\n\n", "Subject", true,
	     "\xc3\xa4\xc3\xb6\xc3\xbc"},
	    {"Subject:\n  plain\n\n", "Subject", true, "  plain"},
	    {"Subject:    spaced   \n\n", "Subject", false, "spaced"},
	    {"X-A: 1\nX-A: 2\n\n", "x-a", false, "1"},
	    {"Subject : odd\n\n", "Subject", false, "odd"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = M(rows[i].raw);
		char *v = msg_header_get(m, rows[i].name, rows[i].decoded);

		assert_row_str(i, v, rows[i].want);
		free(v);
		msg_free(&m);
	}
}

static void
test_addresses(void **state)
{
	static const struct {
		const char *in;
		int n;
		const char *addr0, *name0, *addr_last;
	} rows[] = {
	    {"a@b.example", 1, "a@b.example", NULL, "a@b.example"},
	    {"Jane Doe <jane@x.example>", 1, "jane@x.example", "Jane Doe",
	     "jane@x.example"},
	    {"\"Doe, Jane\" <jane@x.example>, bob@y.example", 2,
	     "jane@x.example", "Doe, Jane", "bob@y.example"},
	    {"jane@x.example (Jane Doe)", 1, "jane@x.example", "Jane Doe",
	     "jane@x.example"},
	    {"undisclosed-recipients:;", 0, NULL, NULL, NULL},
	    {"Team: a@x.example, b@x.example;, c@y.example", 3, "a@x.example",
	     NULL, "c@y.example"},
	    {"<@relay.example:user@x.example>", 1, "user@x.example", NULL,
	     "user@x.example"},
	    {"=?UTF-8?Q?J=C3=BCrgen?= <j@x.example>", 1, "j@x.example",
	     "J\xc3\xbcrgen", "j@x.example"},
	    {"\"quoted local\"@x.example", 1, "quotedlocal@x.example", NULL,
	     "quotedlocal@x.example"},
	    {"<>", 1, "", NULL, ""},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg_addrlist l = {0};

		assert_row_int(i, msg_addr_parse(rows[i].in, &l), rows[i].n);
		if (rows[i].n > 0) {
			assert_row_str(i, l.v[0].addr, rows[i].addr0);
			if (rows[i].name0 != NULL)
				assert_row_str(i, l.v[0].name, rows[i].name0);
			assert_row_str(i, l.v[l.n - 1].addr, rows[i].addr_last);
		}
		msg_addrlist_free(&l);
	}
}

static void
test_subject_normalize(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
	    {"Re: Printer broken", "printer broken"},
	    {"AW: WG: Drucker  kaputt", "drucker kaputt"},
	    {"RE[2]: [#1234] VPN down", "vpn down"},
	    {"Fwd: Re: SV: Antw: TR: RV: x", "x"},
	    {"Réponse: y", "réponse: y"},
	    {"[#1001] Re: Mail server", "mail server"},
	    {"", ""},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *s = msg_subject_normalize(rows[i].in);

		assert_row_str(i, s, rows[i].want);
		free(s);
	}
}

static void
test_thread(void **state)
{
	struct msg *m = M("Message-ID: <abc@x.example>\n"
			  "In-Reply-To: <p2@x.example>\n"
			  "References: <p1@x.example>\n <p2@x.example>\n\n");
	struct strlist ids = {0};

	(void)state;
	assert_string_equal(msg_message_id(m), "abc@x.example");
	msg_thread_refs(m, &ids);
	assert_int_equal(ids.n, 2);
	assert_string_equal(ids.v[0], "p1@x.example");
	assert_string_equal(ids.v[1], "p2@x.example");
	strlist_free(&ids);
	msg_free(&m);
}

/* msg_message_id() reads the raw header (msg-parse.c, no GMime); msg_date()
   parses with GMime (msg-decode.c). */
static void
test_message_id_date(void **state)
{
	static const struct {
		const char *raw, *id;
		long date;
	} rows[] = {
	    {"Message-Id: <a@x.example>\n\n", "a@x.example", -1},
	    {"MESSAGE-ID:\n  <folded@x.example>\n\n", "folded@x.example", -1},
	    {"Message-ID: bare@x.example\n\n", "bare@x.example", -1},
	    {"Message-ID: no-at-sign\n\n", "no-at-sign", -1},
	    {"Message-ID: <first@x>\nMessage-ID: <second@x>\n\n", "first@x",
	     -1},
	    {"Subject: none\nDate: Mon, 23 Nov 2026 10:00:00 +0100\n\n", NULL,
	     1795424400},
	    {"Date: Tue, 1 Jan 2030 00:00:00 GMT\n\n", NULL, 1893456000},
	    {"Date: not a date\n\n", NULL, -1},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = M(rows[i].raw);

		if (rows[i].id == NULL)
			assert_row_int(i, msg_message_id(m) == NULL, 1);
		else
			assert_row_str(i, msg_message_id(m), rows[i].id);
		assert_row_int(i, (long)msg_date(m), rows[i].date);
		msg_free(&m);
	}
}

static void
test_text(void **state)
{
	static const struct {
		const char *raw, *want;
	} rows[] = {
	    {"Content-Type: text/plain; charset=iso-8859-1\n"
	     "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe\n",
	     "Gr\xc3\xbc\xc3\x9f"
	     "e\n"},
	    {"MIME-Version: 1.0\nContent-Type: multipart/alternative; "
	     "boundary=b\n\n--b\nContent-Type: text/plain\n\nplain part\n"
	     "--b\nContent-Type: text/html\n\n<p>html</p>\n--b--\n",
	     "plain part"},
	    {"Content-Type: text/html\n\n<html><head><style>x{}</style>"
	     "</head><body><p>Hello&nbsp;<b>you</b></p><p>A &amp; B</p>"
	     "</body></html>\n",
	     "Hello you\nA & B"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = M(rows[i].raw);

		assert_row_str(i, msg_text(m), rows[i].want);
		msg_free(&m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_subject_normalize),
	    cmocka_unit_test(test_thread),
	    cmocka_unit_test(test_message_id_date),
	    cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
