/*
 * cmd-notice.c - ackmail notice send|list|show|ack|called|close: change
 * notices, tracked until the customer answers.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "notices-cli.h"
#include "support-ack.h"
#include "transport.h"

static const char notice_usage[] =
    "usage: ackmail notice send --to ADDR [--cc ADDR] --subject TEXT\n"
    "                           (or the template's Subject: line)\n"
    "                           [--customer ID] [--issue N] [--from ADDR]\n"
    "                           [--deadline 48h|2d|3bd|\"2026-12-01 "
    "09:00\"]\n"
    "                           [--change-at TIME] [--template NAME] < "
    "body\n"
    "       ackmail notice list [--state STATE[,STATE]] [--json]\n"
    "       ackmail notice show ID [--json]\n"
    "       ackmail notice ack ID [--note TEXT] [--by WHO]\n"
    "       ackmail notice called ID --note TEXT\n"
    "       ackmail notice close ID [--note TEXT]\n"
    "common options: -c CONFIG, --now TIME\n";

static int
notice_send(struct notices_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"to", required_argument, NULL, 't'},
	    {"cc", required_argument, NULL, 'C'},
	    {"subject", required_argument, NULL, 's'},
	    {"customer", required_argument, NULL, 'u'},
	    {"issue", required_argument, NULL, 'i'},
	    {"deadline", required_argument, NULL, 'd'},
	    {"change-at", required_argument, NULL, 'a'},
	    {"template", required_argument, NULL, 'T'},
	    {"from", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	const char *to = NULL, *cc = NULL, *subject = NULL, *deadline = NULL;
	const char *change = NULL, *tpl = NULL, *from = NULL, *error;
	const char *support_addr;
	int64_t customer = 0, issue = 0, id = 0;
	time_t change_at = (time_t)-1;
	struct str body = STR_INIT, text = STR_INIT, msg = STR_INIT;
	struct strlist rcpts = {0};
	struct store_notice_list l = {0};
	struct store_notice_query q = {0};
	char *mid = NULL, *full_subject = NULL, *from_hdr = NULL, *tsub = NULL;
	char dl[64], ch[64];
	time_t deadline_at = 0;
	int c, ret = EX_SOFTWARE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			to = optarg;
			break;
		case 'C':
			cc = optarg;
			break;
		case 's':
			subject = optarg;
			break;
		case 'u':
			customer = strtoll(optarg, NULL, 10);
			break;
		case 'i':
			issue = strtoll(optarg, NULL, 10);
			break;
		case 'd':
			deadline = optarg;
			break;
		case 'a':
			change = optarg;
			break;
		case 'T':
			tpl = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		default:
			fputs(notice_usage, stderr);
			return EX_USAGE;
		}
	}
	if (to == NULL || (subject == NULL && tpl == NULL) || optind != argc) {
		fputs(notice_usage, stderr);
		return EX_USAGE;
	}
	if (change != NULL && notice_time_parse(notices_time(cli->notices),
						change, &change_at) < 0) {
		fprintf(stderr, "ackmail: --change-at: bad time '%s'\n",
			change);
		return EX_USAGE;
	}
	/* the deadline first: a template speaks of it */
	if (notices_deadline(cli->notices, cli->now, deadline, change_at,
			     &deadline_at, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_USAGE;
	}
	if (read_full(STDIN_FILENO, &body) < 0) {
		fprintf(stderr, "ackmail: reading the body failed\n");
		return EX_IOERR;
	}
	if (customer == 0 &&
	    store_customer_find(cli->store, to, &customer, &error) < 0)
		customer = 0;
	if (issue == 0 && subject != NULL) {
		int64_t tag;

		if (notices_subject_tag(subject, &tag) == 1)
			issue = tag;
	}
	support_addr = config_get(cli->config, "support", NULL, "address");
	if (from == NULL)
		from = support_addr != NULL ? support_addr : "postmaster";
	{
		struct strlist a = {0};

		strlist_split(&a, from, " ,");
		from_hdr = xasprintf("%s <%s>",
				     config_get_default(cli->config, "support",
							"name", "Support"),
				     a.n > 0 ? a.v[0] : from);
		strlist_free(&a);
	}
	notice_time_format(notices_time(cli->notices), deadline_at,
			   "%A %d %B %Y, %H:%M %Z", dl, sizeof(dl));
	if (change_at != (time_t)-1)
		notice_time_format(notices_time(cli->notices), change_at,
				   "%A %d %B %Y, %H:%M %Z", ch, sizeof(ch));
	else
		snprintf(ch, sizeof(ch), "(see above)");
	if (tpl != NULL) {
		char *t = NULL, *path = NULL, *terr = NULL;
		char *tbody = NULL, idbuf[32], tdl[96], tch[96];
		const char *lang = notices_lang(cli->notices);
		size_t tl;
		const char *dir =
		    config_get_default(cli->config, "ack", "template_dir",
				       ACKMAIL_DATADIR "/rules/templates");
		struct store_customer cu;
		bool have_cu = false;
		int tr;

		memset(&cu, 0, sizeof(cu));
		if (customer != 0 &&
		    store_customer_get(cli->store, customer, &cu, &error) == 1)
			have_cu = true;
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)issue);
		/* the times as the template's language writes them */
		notices_time_text(notices_time(cli->notices), lang, deadline_at,
				  tdl, sizeof(tdl));
		if (change_at != (time_t)-1)
			notices_time_text(notices_time(cli->notices), lang,
					  change_at, tch, sizeof(tch));
		{
			const struct tmpl_var vars[] = {
			    {"body", str_c(&body), true},
			    {"deadline", tdl, false},
			    {"change_at", change_at != (time_t)-1 ? tch : NULL,
			     false},
			    {"issue", issue != 0 ? idbuf : NULL, false},
			    {"subject", subject, false},
			    {"customer_name", have_cu ? cu.name : NULL, false},
			    {"support_name",
			     config_get(cli->config, "support", NULL, "name"),
			     false},
			    {"support_phone",
			     config_get(cli->config, "support", NULL, "phone"),
			     false},
			};

			if (strchr(tpl, '/') != NULL)
				tr = path_read_file(tpl, 1 << 20, &t, &tl) < 0
					 ? -1
					 : 0;
			else
				tr =
				    tmpl_load(dir, tpl, lang, &t, &path, &terr);
			if (tr == 0)
				tr = tmpl_render(t, strlen(t), vars,
						 N_ELEMENTS(vars), false, &tsub,
						 &tbody, &terr);
		}
		if (have_cu)
			store_customer_clear(&cu);
		free(t);
		free(path);
		if (tr < 0) {
			fprintf(stderr, "ackmail: template %s: %s\n", tpl,
				terr != NULL ? terr : "cannot read it");
			free(terr);
			ret = EX_NOINPUT;
			goto out;
		}
		str_append(&text, tbody);
		free(tbody);
	} else {
		str_append(&text, str_c(&body));
		if (text.len > 0 && text.s[text.len - 1] != '\n')
			str_appendc(&text, '\n');
		str_append(&text, "\n-- \n");
		if (change_at != (time_t)-1)
			str_printf(&text, "Planned change: %s\n", ch);
		str_printf(&text,
			   "Please confirm by replying to this mail by %s.\n"
			   "If we do not hear from you, we will call you.\n",
			   dl);
	}
	/* the template's own Subject: wins over --subject; either way the
	   issue's tag goes in front, and the notice is recorded with the
	   subject the customer sees */
	if (tsub != NULL) {
		char *clean = tmpl_clean_value(tsub);

		free(tsub);
		tsub = clean;
		if (*tsub != '\0')
			subject = tsub;
	}
	if (subject == NULL || *subject == '\0') {
		fprintf(stderr, "ackmail: notice send: no subject (give "
				"--subject or a Subject: line in the "
				"template)\n");
		ret = EX_USAGE;
		goto out;
	}
	if (issue == 0) {
		int64_t tag;

		if (notices_subject_tag(subject, &tag) == 1)
			issue = tag;
	}
	if (issue != 0 && strstr(subject, "[#") == NULL)
		full_subject =
		    xasprintf("[#%lld] %s", (long long)issue, subject);
	else
		full_subject = xstrdup(subject);
	mid = notices_cli_message_id(cli, issue, "notice");

	if (store_begin(cli->store, &error) < 0)
		goto store_fail;
	{
		struct notice_new nn = {
		    .to = to,
		    .cc = cc,
		    .subject = full_subject,
		    .message_id = mid,
		    .sender = getenv("USER"),
		    .source = "send",
		    .customer = customer,
		    .issue = issue,
		    .sent_at = cli->now,
		    .deadline = deadline,
		    .change_at = change_at,
		};

		if (notices_record(cli->notices, &nn, &id, &error) < 0) {
			store_rollback(cli->store);
			fprintf(stderr, "ackmail: %s\n", error);
			ret = store_error_transient(cli->store) ? EX_TEMPFAIL
								: EX_USAGE;
			goto out;
		}
	}
	q.id = id;
	if (store_notice_find(cli->store, &q, &l, &error) < 0 || l.n != 1)
		goto store_fail_tx;
	if (l.v[0].deadline != deadline_at)
		/* recorded before (the same Message-ID and recipient) */
		notice_time_format(notices_time(cli->notices), l.v[0].deadline,
				   "%A %d %B %Y, %H:%M %Z", dl, sizeof(dl));
	notices_compose_head(&msg, from_hdr, to, cc, full_subject, mid, NULL,
			     cli->now);
	str_append(&msg, "Content-Type: text/plain; charset=utf-8\n"
			 "Content-Transfer-Encoding: 8bit\n\n");
	str_append(&msg, str_c(&text));
	strlist_add(&rcpts, to);
	if (cc != NULL)
		strlist_split(&rcpts, cc, " ,");
	if (outbox_queue(cli->store, "notice",
			 support_addr != NULL ? support_addr : "", &rcpts,
			 msg.s, msg.len, mid, issue, NULL, &error) < 0)
		goto store_fail_tx;
	/* replies to the notice belong to its issue */
	if (issue != 0) {
		struct store_issue is;
		int r = store_issue_get(cli->store, issue, &is, &error);

		if (r < 0)
			goto store_fail_tx;
		if (r == 1) {
			store_issue_clear(&is);
			if (store_message_ref_add(cli->store, mid, issue,
						  &error) < 0)
				goto store_fail_tx;
		}
	}
	if (store_commit(cli->store, &error) < 0)
		goto store_fail_tx;
	notices_cli_flush(cli);
	printf("notice %lld to %s: waiting for an answer until %s\n",
	       (long long)id, to, dl);
	ret = EX_OK;
	goto out;
store_fail_tx:
	store_rollback(cli->store);
store_fail:
	fprintf(stderr, "ackmail: %s\n", error);
	ret = store_error_transient(cli->store) ? EX_TEMPFAIL : EX_SOFTWARE;
out:
	store_notice_list_free(&l);
	strlist_free(&rcpts);
	str_free(&body);
	str_free(&text);
	str_free(&msg);
	free(mid);
	free(full_subject);
	free(from_hdr);
	free(tsub);
	return ret;
}

static int
notice_list(struct notices_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"state", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct store_notice_query q = {0};
	struct store_notice_list l = {0};
	const char *error;
	bool json = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			q.states = strcmp(optarg, "all") == 0 ? NULL : optarg;
		else if (c == 'j')
			json = true;
		else {
			fputs(notice_usage, stderr);
			return EX_USAGE;
		}
	}
	if (store_notice_find(cli->store, &q, &l, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_TEMPFAIL;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct store_notice *n = &l.v[i];

		if (json) {
			struct str s = STR_INIT;

			notices_cli_json(&s, n);
			printf("%s\n", str_c(&s));
			str_free(&s);
		} else {
			char sent[32], due[32];

			notices_cli_when(cli, n->sent_at, sent, sizeof(sent));
			notices_cli_when(cli, n->deadline, due, sizeof(due));
			printf("%-5lld %-13s %-30s sent %s  due %s  %s\n",
			       (long long)n->id, n->state, n->to, sent, due,
			       n->subject);
		}
	}
	store_notice_list_free(&l);
	return EX_OK;
}

static int
parse_id(const char *s, int64_t *id_r)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '#')
		return parse_id(s + 1, id_r);
	if (end == s || *end != '\0' || v <= 0)
		return -1;
	*id_r = v;
	return 0;
}

static int
notice_show(struct notices_cli *cli, int argc, char **argv)
{
	struct store_notice_query q = {0};
	struct store_notice_list l = {0};
	struct store_notice_event_list ev = {0};
	const char *error;
	bool json = false;
	int64_t id = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (parse_id(argv[i], &id) < 0) {
			fputs(notice_usage, stderr);
			return EX_USAGE;
		}
	}
	if (id == 0) {
		fputs(notice_usage, stderr);
		return EX_USAGE;
	}
	q.id = id;
	if (store_notice_find(cli->store, &q, &l, &error) < 0 ||
	    store_notice_events(cli->store, id, &ev, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		store_notice_list_free(&l);
		return EX_TEMPFAIL;
	}
	if (l.n == 0) {
		fprintf(stderr, "ackmail: no notice %lld\n", (long long)id);
		return EX_NOINPUT;
	}
	if (json) {
		struct str s = STR_INIT;

		notices_cli_json(&s, &l.v[0]);
		str_truncate(&s, s.len - 1);
		str_append(&s, ",\"history\":[");
		for (size_t i = 0; i < ev.n; i++) {
			char at[32];

			clock_iso8601(ev.v[i].at, at, sizeof(at));
			str_append(&s, i > 0 ? ",{\"at\":" : "{\"at\":");
			str_append_json(&s, at);
			str_append(&s, ",\"state\":");
			str_append_json(&s, ev.v[i].state);
			str_append(&s, ",\"note\":");
			str_append_json(&s, ev.v[i].note);
			str_append(&s, ",\"message_id\":");
			str_append_json(&s, ev.v[i].message_id);
			str_append(&s, "}");
		}
		str_append(&s, "]}");
		printf("%s\n", str_c(&s));
		str_free(&s);
	} else {
		const struct store_notice *n = &l.v[0];
		char a[64], b[64];

		printf("notice %lld: %s\n", (long long)n->id, n->subject);
		printf("  to:       %s%s%s\n", n->to, n->cc ? "  cc: " : "",
		       n->cc ? n->cc : "");
		printf("  state:    %s%s%s\n", n->state,
		       n->reason != NULL ? " - " : "",
		       n->reason != NULL ? n->reason : "");
		notices_cli_when(cli, n->sent_at, a, sizeof(a));
		notices_cli_when(cli, n->deadline, b, sizeof(b));
		printf("  sent:     %s   answer due: %s\n", a, b);
		if (n->change_at != 0) {
			notices_cli_when(cli, n->change_at, a, sizeof(a));
			printf("  change:   %s\n", a);
		}
		if (n->ack_by != NULL) {
			notices_cli_when(cli, n->ack_at, a, sizeof(a));
			printf("  answered: %s by %s: %s\n", a, n->ack_by,
			       n->ack_excerpt != NULL ? n->ack_excerpt : "");
		}
		printf("history:\n");
		for (size_t i = 0; i < ev.n; i++) {
			notices_cli_when(cli, ev.v[i].at, a, sizeof(a));
			printf("  %s  %-13s %s\n", a, ev.v[i].state,
			       ev.v[i].note != NULL ? ev.v[i].note : "");
		}
	}
	store_notice_list_free(&l);
	store_notice_event_list_free(&ev);
	return EX_OK;
}

/* ack, called, close */
static int
notice_end(struct notices_cli *cli, const char *what, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"note", required_argument, NULL, 'n'},
	    {"by", required_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	const char *note = NULL, *by = NULL, *error = NULL;
	int64_t id;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else if (c == 'b')
			by = optarg;
		else {
			fputs(notice_usage, stderr);
			return EX_USAGE;
		}
	}
	if (optind + 1 != argc || parse_id(argv[optind], &id) < 0 ||
	    (strcmp(what, "called") == 0 && note == NULL)) {
		fputs(notice_usage, stderr);
		return EX_USAGE;
	}
	if (by == NULL)
		by = getenv("USER") != NULL ? getenv("USER") : "by hand";
	if (store_begin(cli->store, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_TEMPFAIL;
	}
	if (strcmp(what, "ack") == 0)
		r = notices_ack(cli->notices, id, by, note, cli->now, &error);
	else if (strcmp(what, "called") == 0)
		r = notices_called(cli->notices, id, note, cli->now, &error);
	else
		r = notices_close(cli->notices, id, note, cli->now, &error);
	if (r < 0 || store_commit(cli->store, &error) < 0) {
		store_rollback(cli->store);
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_TEMPFAIL;
	}
	if (r == 0) {
		fprintf(stderr, "ackmail: notice %lld: no such open notice\n",
			(long long)id);
		return EX_DATAERR;
	}
	printf("notice %lld: %s\n", (long long)id,
	       strcmp(what, "ack") == 0 ? "acknowledged" : what);
	return EX_OK;
}

int
cmd_notice(int argc, char **argv)
{
	struct notices_cli cli;
	const char *sub;
	int ret;

	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(notice_usage, stdout);
		return EX_OK;
	}
	if ((ret = notices_cli_open(&cli, &argc, argv)) != EX_OK) {
		notices_cli_close(&cli);
		return ret;
	}
	if (argc < 2) {
		fputs(notice_usage, stderr);
		notices_cli_close(&cli);
		return EX_USAGE;
	}
	sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "send") == 0)
		ret = notice_send(&cli, argc, argv);
	else if (strcmp(sub, "list") == 0)
		ret = notice_list(&cli, argc, argv);
	else if (strcmp(sub, "show") == 0)
		ret = notice_show(&cli, argc, argv);
	else if (strcmp(sub, "ack") == 0 || strcmp(sub, "called") == 0 ||
		 strcmp(sub, "close") == 0)
		ret = notice_end(&cli, sub, argc, argv);
	else {
		fputs(notice_usage, stderr);
		ret = EX_USAGE;
	}
	notices_cli_close(&cli);
	return ret;
}
