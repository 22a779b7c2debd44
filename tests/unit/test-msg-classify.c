/*
 * test-msg-classify.c - lib/msg/msg-classify.c: every classifier rule,
 * with real messages from ../shared/corpus and small hand-made ones, the
 * failed recipient and original Message-ID of reports, and the new text
 * of replies (msg_text_new).
 */
#include <fcntl.h>

#include "unit.h"
#include "msg.h"

static struct msg *
load(const char *rel)
{
	char path[512];
	struct msg *m;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open %s", path);
	if (msg_read_fd(fd, &m) < 0)
		fail_msg("cannot read %s", path);
	close(fd);
	return m;
}

static bool
our_id(const char *id, void *ctx)
{
	(void)ctx;
	return strncmp(id, "ackmail.", 8) == 0;
}

static struct strlist ours;
static const struct msg_classify_settings settings = {
    .loop_header = "X-Ackmail-Loop",
    .our_addresses = &ours,
    .is_our_message_id = our_id,
};

static void
check(size_t row, struct msg *m, const char *cls, const char *reason,
      const char *failed, const char *orig)
{
	const struct msg_classification *c = msg_classify(m, &settings);

	assert_row_str(row, msg_class_name(c->class), cls);
	if (reason != NULL && strstr(c->reason, reason) == NULL)
		fail_msg("row %zu: reason \"%s\" lacks \"%s\"", row, c->reason,
			 reason);
	if (failed != NULL)
		assert_row_str(row, c->failed_recipient, failed);
	if (orig != NULL)
		assert_row_str(row, c->original_message_id, orig);
	assert_row_int(row, msg_class_is_robot(c->class),
		       strcmp(cls, "human") != 0);
}

/* Real messages: bounces (sisimai, perl-bounceparser, flanker), MDNs,
   Exchange and other out-of-office replies, list mail. */
static void
test_corpus(void **state)
{
	static const struct {
		const char *file, *cls, *reason, *failed, *orig;
	} rows[] = {
	    {"sisimai-bounces/lf__lhost-barracuda-02.eml", "bounce",
	     "multipart/report delivery-status", "kijitora@example.jp",
	     "201104292334545.62412C6FD0F1@email-4.example.jp"},
	    {"flanker/bounce__delayed.eml", "bounce", "delivery-status",
	     "foo@example.com", NULL},
	    {"flanker/bounce__delayed-broken.eml", "bounce",
	     "message/delivery-status", "demo@example.com", NULL},
	    {"perl-bounceparser/misidentified-recipient.eml", "bounce",
	     "X-Failed-Recipients", "john.b@b.c",
	     "20100319140556.2EEB4B58176@server2.example.co.uk"},
	    {"perl-bounceparser/warning-7.eml", "bounce", "mailer-daemon", NULL,
	     "20100406233824.78950B58223@server2.example.co.uk"},
	    {"flanker/disposition-notification.eml", "mdn",
	     "disposition-notification", NULL,
	     "199509192301.23456@example.org"},
	    {"perl-bounceparser/aol-vacation.eml", "autoreply",
	     "Auto-Submitted", NULL, NULL},
	    {"sisimai-bounces/lf__rfc3834-02.eml", "autoreply",
	     "X-Auto-Response-Suppress", NULL, NULL},
	    {"sisimai-bounces/lf__rfc3834-03.eml", "autoreply",
	     "vacation subject", NULL, NULL},
	    {"perl-bounceparser/warning-6.eml", "autoreply", "vacation subject",
	     NULL, NULL},
	    {"perl-bounceparser/polish-autoreply.eml", "autoreply",
	     "vacation subject", NULL, NULL},
	    {"james-mime4j/mime4j-219-new-date-time-format.eml", "list",
	     "List-Id", NULL, NULL},
	    {"spamassassin-publiccorpus/"
	     "easy-ham-1__00002.9c4069e25e1ef370c078db7ee85ff9ac.eml",
	     "list", "List-Unsubscribe", NULL, NULL},
	    {"spamassassin-publiccorpus/"
	     "hard-ham-1__00187.cc3d499cfabdc2d517c1ff46e9fa1fdf.eml",
	     "list", "Mailing-List", NULL, NULL},
	    {"crymap/dovecot-prefer-standalone-daemons.eml", "list",
	     "Precedence", NULL, NULL},
	    {"perl-bounceparser/bluebottle.eml", "human", NULL, NULL, NULL},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = load(rows[i].file);

		check(i, m, rows[i].cls, rows[i].reason, rows[i].failed,
		      rows[i].orig);
		msg_free(&m);
	}
}

/* One small message per rule, so each rule is seen to fire alone. */
static void
test_rules(void **state)
{
	static const struct {
		const char *raw, *cls, *reason;
	} rows[] = {
	    {"From: a@b.example\nX-Ackmail-Loop: yes\n\nx\n", "loop",
	     "loop header"},
	    {"From: a@b.example\nX-Loop: support@shop.example\n\nx\n", "loop",
	     "X-Loop"},
	    {"From: Desk <support@shop.example>\n\nx\n", "loop",
	     "our own address"},
	    {"From: a@b.example\nMessage-ID: <ackmail.12.ack.1.x@shop>\n\nx\n",
	     "loop", "signed Message-ID"},
	    {"From: a@b.example\nX-Failed-Recipients: c@d.example\n\nx\n",
	     "bounce", "X-Failed-Recipients"},
	    {"From: MAILER-DAEMON@mx.example\nSubject: failure notice\n\nx\n",
	     "bounce", "mailer-daemon"},
	    {"From: postmaster@mx.example\n\nx\n", "bounce", "postmaster"},
	    {"From: a@b.example\nReturn-Path: <>\n\nx\n", "bounce",
	     "empty return path"},
	    {"From: a@b.example\nAuto-Submitted: auto-replied\n\nx\n",
	     "autoreply", "Auto-Submitted"},
	    {"From: a@b.example\nAuto-Submitted: no\n\nx\n", "human", NULL},
	    {"From: a@b.example\nX-Autoreply: yes\n\nx\n", "autoreply",
	     "X-Autoreply"},
	    {"From: a@b.example\nX-Autorespond: vacation\n\nx\n", "autoreply",
	     "X-Autorespond"},
	    {"From: a@b.example\nX-Auto-Response-Suppress: All\n\nx\n",
	     "autoreply", "X-Auto-Response-Suppress"},
	    {"From: a@b.example\nX-MS-Exchange-Inbox-Rules-Loop: a@b.example"
	     "\n\nx\n",
	     "autoreply", "Inbox-Rules-Loop"},
	    {"From: a@b.example\nSubject: Automatic reply: [#12] x\n\nx\n",
	     "autoreply", "vacation subject"},
	    {"From: a@b.example\nSubject: Abwesenheitsnotiz: x\n\nx\n",
	     "autoreply", "vacation subject"},
	    {"From: a@b.example\nSubject: Absence du bureau\n\nx\n",
	     "autoreply", "vacation subject"},
	    {"From: a@b.example\nSubject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGC?="
	     "\n\nx\n",
	     "autoreply", "vacation subject"},
	    {"From: a@b.example\nSubject: =?utf-8?B?5LiN5Zyo6YCa55+l?=\n\nx\n",
	     "autoreply", "vacation subject"},
	    {"From: a@b.example\nSubject: Re: out of office tomorrow?\n\nx\n",
	     "human", NULL},
	    {"From: a@b.example\nList-Id: <x.lists.example>\n\nx\n", "list",
	     "List-Id"},
	    {"From: a@b.example\nList-Post: <mailto:x@l.example>\n\nx\n",
	     "list", "List-Post"},
	    {"From: a@b.example\nPrecedence: bulk\n\nx\n", "list",
	     "Precedence"},
	    {"From: a@b.example\nPrecedence: junk\n\nx\n", "list",
	     "Precedence"},
	    {"From: a@b.example\nPrecedence: first-class\n\nx\n", "human",
	     NULL},
	    {"From: noreply@shop.example\n\nx\n", "autoreply", "no-reply"},
	    {"From: nas01@c.example\nSubject: ** PROBLEM alert - nas01 is "
	     "DOWN **\n\nx\n",
	     "autoreply", "monitoring"},
	    {"From: a@b.example\nX-Spam-Flag: YES\n\nx\n", "spam", "X-Spam"},
	    {"From: a@b.example\nX-Spam-Status: Yes, score=9\n\nx\n", "spam",
	     "X-Spam-Status"},
	    {"From: a@b.example\nX-Spam-Status: No, score=0\n\nx\n", "human",
	     NULL},
	    {"From: a@b.example\nContent-Type: multipart/report; "
	     "report-type=disposition-notification; boundary=b\n\n--b\n"
	     "Content-Type: text/plain\n\nread\n--b\nContent-Type: "
	     "message/disposition-notification\n\nOriginal-Message-ID: "
	     "<o@x>\nDisposition: manual-action/MDN-sent-manually; "
	     "displayed\n--b--\n",
	     "mdn", "disposition-notification"},
	    {"From: a@b.example\nContent-Type: multipart/alternative; "
	     "boundary=b\n\n--b\nContent-Type: text/plain\n\nAccepted\n--b\n"
	     "Content-Type: text/calendar; method=REPLY\n\nBEGIN:VCALENDAR\n"
	     "METHOD:REPLY\nEND:VCALENDAR\n--b--\n",
	     "calendar", "METHOD:REPLY"},
	    {"From: Anna <a@b.example>\nSubject: printer broken\n\nhelp\n",
	     "human", "no robot signal"},
	};
	(void)state;
	strlist_add(&ours, "support@shop.example");
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy(rows[i].raw, strlen(rows[i].raw));

		check(i, m, rows[i].cls, rows[i].reason, NULL, NULL);
		msg_free(&m);
	}
}

/* The envelope's null sender (set by deliver -f '<>') makes a bounce. */
static void
test_envelope(void **state)
{
	struct msg *m = msg_new_copy("From: a@b.example\n\nx\n", 21);

	(void)state;
	msg_set_envelope(m, "", "support@shop.example");
	check(0, m, "bounce", "empty return path", NULL, NULL);
	msg_free(&m);
}

static void
test_text_new(void **state)
{
	static const struct {
		const char *raw, *want;
	} rows[] = {
	    /* Gmail / generic top-posting */
	    {"Subject: x\n\nThanks, works.\n\nOn Mon, 4 Mar 2024 at 10:00, "
	     "Jane <j@x> wrote:\n> old text\n> more\n",
	     "Thanks, works."},
	    /* wrapped attribution */
	    {"Subject: x\n\nOK.\n\nOn Mon, 4 Mar 2024 at 10:00, Jane Doe\n"
	     "<jane@x.example> wrote:\n> old\n",
	     "OK."},
	    /* Outlook */
	    {"Subject: x\n\nFine by us.\n\n-----Original Message-----\n"
	     "From: Jane\nSent: Monday\nSubject: y\n\nold\n",
	     "Fine by us."},
	    {"Subject: x\n\nFine.\n\nFrom: Jane Doe <j@x>\nSent: Monday, "
	     "March 4\nTo: a@b\nSubject: y\n\nold\n",
	     "Fine."},
	    {"Subject: x\n\nGut.\n\nVon: Jane\nGesendet: Montag\n\nalt\n",
	     "Gut."},
	    {"Subject: x\n\nDanke.\n\n________________________________\n"
	     "From: Jane\nold\n",
	     "Danke."},
	    /* Apple Mail */
	    {"Subject: x\n\nYes.\n\n> On 4 Mar 2024, at 10:00, Jane "
	     "<j@x> wrote:\n> \n> old\n",
	     "Yes."},
	    /* Thunderbird bottom-posting: the new text is below the quote */
	    {"Subject: x\n\nOn 04.03.24 10:00, Jane wrote:\n> old\n> text\n\n"
	     "New answer.\n",
	     "New answer."},
	    /* localized */
	    {"Subject: x\n\nPasst.\n\nAm 04.03.2024 um 10:00 schrieb Jane:\n"
	     "> alt\n",
	     "Passt."},
	    {"Subject: x\n\nParfait.\n\nLe 4 mars 2024, Jane a écrit :\n> "
	     "ancien\n",
	     "Parfait."},
	    {"Subject: x\n\nOk.\n\nDen 4 mars 2024 skrev Jane:\n> gammal\n",
	     "Ok."},
	    {"Subject: x\n\nПринято.\n\n4 марта 2024, Jane пишет:\n> старое\n",
	     "Принято."},
	    /* HTML only */
	    {"Subject: x\nContent-Type: text/html\n\n<p>Works now.</p>"
	     "<div>On Monday, Jane wrote:<blockquote>old</blockquote></div>\n",
	     "Works now."},
	    /* nothing new: the whole text */
	    {"Subject: x\n\n> only a quote\n", "> only a quote"},
	    {"Subject: x\n\nJust text.\n", "Just text."},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy(rows[i].raw, strlen(rows[i].raw));
		char *t = msg_text_new(m);

		str_trim(t);
		assert_row_str(i, t, rows[i].want);
		free(t);
		msg_free(&m);
	}
}

/* Encoded words are decoded one by one (a base64 word's padding must not
   end the text); a character split across words still decodes. */
static void
test_decode_words(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
	    {"=?utf-8?B?0J7Rh9C10L3RjCDQvNC10LTQu9C10L3QvdGL0Lkg0YTQsNC50LvQ"
	     "vtCy0Ys=?=\n =?utf-8?B?0Lkg0YHQtdGA0LLQtdGA?=",
	     "Очень медленный файловый сервер"},
	    {"=?utf-8?B?R3LD?= =?utf-8?B?vMOfZQ==?=", "Grüße"},
	    {"Re: =?iso-8859-1?Q?Gr=FC=DFe?= aus Berlin",
	     "Re: Grüße aus Berlin"},
	    {"=?iso-8859-1?Q?a?= b =?iso-8859-1?Q?c?=", "a b c"},
	    {"plain", "plain"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *d = msg_header_decode(rows[i].in);

		assert_row_str(i, d, rows[i].want);
		free(d);
	}
}

static void
test_names(void **state)
{
	(void)state;
	for (int c = 0; c < MSG_CLASS_COUNT; c++) {
		enum msg_class back;

		assert_row_int(c, msg_class_parse(msg_class_name(c), &back), 0);
		assert_row_int(c, back, c);
	}
	assert_int_equal(msg_class_parse("robot", &(enum msg_class){0}), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_envelope),
	    cmocka_unit_test(test_text_new),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_decode_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
