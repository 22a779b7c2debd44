/*
 * cmd-issue.c - ackmail issue list|show|set|close|reopen, and
 * cmd_message: ackmail message list. Listings take --json (one object a
 * line); issue show prints the thread with the quoted text removed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "commands.h"
#include "outbound-cli.h"
#include "support-cli.h"
#include "support.h"

static void
usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: ackmail issue list [--state S[,S]] [--customer ID|ADDR] "
	    "[--queue Q] [--json]\n"
	    "       ackmail issue show N [--json]\n"
	    "       ackmail issue set N [--state S] [--queue Q] [--customer "
	    "ID|ADDR]\n"
	    "                           [--subject TEXT] [--tag WORD]... "
	    "[--link N]\n"
	    "       ackmail issue close N [--resolved] [--quiet] [--note TEXT] "
	    "[--lang L]\n"
	    "       ackmail issue reopen N\n"
	    "       ackmail message list [--issue N] [--json]\n"
	    "common options: -c CONFIG, --db FILE\n"
	    "states: open, waiting, resolved, closed\n");
}

enum {
	OPT_STATE = 1000,
	OPT_CUSTOMER,
	OPT_QUEUE,
	OPT_JSON,
	OPT_DB,
	OPT_SUBJECT,
	OPT_TAG,
	OPT_LINK,
	OPT_RESOLVED,
	OPT_QUIET,
	OPT_ISSUE,
	OPT_NOTE,
	OPT_LANG,
};

static const struct option longopts[] = {
    {"state", required_argument, NULL, OPT_STATE},
    {"customer", required_argument, NULL, OPT_CUSTOMER},
    {"queue", required_argument, NULL, OPT_QUEUE},
    {"json", no_argument, NULL, OPT_JSON},
    {"db", required_argument, NULL, OPT_DB},
    {"config", required_argument, NULL, 'c'},
    {"subject", required_argument, NULL, OPT_SUBJECT},
    {"tag", required_argument, NULL, OPT_TAG},
    {"link", required_argument, NULL, OPT_LINK},
    {"resolved", no_argument, NULL, OPT_RESOLVED},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"issue", required_argument, NULL, OPT_ISSUE},
    {"note", required_argument, NULL, OPT_NOTE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct issue_opts {
	const char *config, *db, *state, *customer, *queue, *subject;
	const char *note, *lang; /* close: the resolution notice */
	struct strlist tags;
	long long link, issue;
	bool json, resolved, quiet;
};

static int
parse_opts(int argc, char **argv, struct issue_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_DB:
			o->db = optarg;
			break;
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_CUSTOMER:
			o->customer = optarg;
			break;
		case OPT_QUEUE:
			o->queue = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_SUBJECT:
			o->subject = optarg;
			break;
		case OPT_TAG:
			strlist_add(&o->tags, optarg);
			break;
		case OPT_LINK:
			o->link = strtoll(optarg, NULL, 10);
			break;
		case OPT_RESOLVED:
			o->resolved = true;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_NOTE:
			o->note = optarg;
			break;
		case OPT_LANG:
			o->lang = optarg;
			break;
		case OPT_ISSUE:
			o->issue = strtoll(
			    optarg[0] == '#' ? optarg + 1 : optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	return -1;
}

static int64_t
parse_number(const char *s)
{
	char *end;
	long long n;

	if (*s == '#')
		s++;
	n = strtoll(s, &end, 10);
	return *end == '\0' && n > 0 ? n : 0;
}

/* A customer id from an id or an address: 1 found, 0, -1. */
static int
customer_of(struct support_cli *cli, const char *key, int64_t *id_r)
{
	const char *error;
	int r;

	if ((*id_r = parse_number(key)) > 0)
		return 1;
	r = store_customer_find(cli->store, key, id_r, &error);
	if (r < 0)
		fprintf(stderr, "ackmail: %s\n", error);
	return r;
}

static void
issue_json(struct support_cli *cli, const struct store_issue *is,
	   struct str *out)
{
	struct store_customer c;
	struct strlist tags = {0};
	const char *error;
	char t[32];
	bool have =
	    is->customer_id != 0 &&
	    store_customer_get(cli->store, is->customer_id, &c, &error) > 0;

	str_printf(out, "{\"number\":%lld,\"state\":\"%s\",\"subject\":",
		   (long long)is->number, store_issue_state_name(is->state));
	str_append_json(out, is->subject);
	str_append(out, ",\"customer_id\":");
	if (is->customer_id != 0)
		str_printf(out, "%lld", (long long)is->customer_id);
	else
		str_append(out, "null");
	str_append(out, ",\"customer\":");
	str_append_json(out, have ? c.name : NULL);
	str_append(out, ",\"company\":");
	str_append_json(out, have ? c.company : NULL);
	str_append(out, ",\"queue\":");
	str_append_json(out, is->queue);
	str_append(out, ",\"opener\":");
	str_append_json(out, is->opener);
	str_append(out, ",\"opened_at\":");
	str_append_json(out, support_cli_time(is->opened_at, t, sizeof(t)));
	str_append_json_time(out, "closed_at", is->closed_at);
	str_append_json_time(out, "last_customer_at", is->last_customer_at);
	str_append_json_time(out, "last_ours_at", is->last_ours_at);
	str_append(out, ",\"linked_issue\":");
	if (is->linked_issue != 0)
		str_printf(out, "%lld", (long long)is->linked_issue);
	else
		str_append(out, "null");
	str_printf(out, ",\"resolved_told\":%s,\"tags\":[",
		   is->resolved_told ? "true" : "false");
	store_issue_tags(cli->store, is->number, &tags, &error);
	for (size_t i = 0; i < tags.n; i++) {
		if (i > 0)
			str_appendc(out, ',');
		str_append_json(out, tags.v[i]);
	}
	str_append(out, "]}\n");
	strlist_free(&tags);
	if (have)
		store_customer_clear(&c);
}

static int
do_list(struct support_cli *cli, const struct issue_opts *o)
{
	struct store_issue_filter filter = {0};
	struct store_issue *v;
	size_t n;
	const char *error;
	struct str out = STR_INIT;

	if (o->state != NULL) {
		struct strlist states = {0};

		strlist_split(&states, o->state, ",| ");
		for (size_t i = 0; i < states.n; i++) {
			enum store_issue_state st;

			if (store_issue_state_parse(states.v[i], &st) < 0) {
				fprintf(stderr, "ackmail: unknown state '%s'\n",
					states.v[i]);
				strlist_free(&states);
				return EX_USAGE;
			}
			filter.states |= 1 << st;
		}
		strlist_free(&states);
	}
	if (o->customer != NULL &&
	    customer_of(cli, o->customer, &filter.customer_id) <= 0) {
		fprintf(stderr, "ackmail: no customer %s\n", o->customer);
		return EX_DATAERR;
	}
	filter.queue = o->queue;
	if (store_issue_list(cli->store, &filter, &v, &n, &error) < 0)
		return support_cli_store_error(cli, "issue list", error);
	for (size_t i = 0; i < n; i++) {
		if (o->json)
			issue_json(cli, &v[i], &out);
		else {
			char t[32];

			str_printf(
			    &out, "#%-6lld %-8s %-20s %s\n",
			    (long long)v[i].number,
			    store_issue_state_name(v[i].state),
			    support_cli_time(v[i].opened_at, t, sizeof(t)),
			    v[i].subject);
		}
		store_issue_clear(&v[i]);
	}
	free(v);
	fputs(str_c(&out), stdout);
	str_free(&out);
	return EX_OK;
}

static void
message_json(const struct store_message *m, struct str *out)
{
	char t[32];

	str_append(out, "{\"message_id\":");
	str_append_json(out, m->message_id);
	str_printf(out, ",\"direction\":\"%s\",\"class\":",
		   m->outgoing ? "out" : "in");
	str_append_json(out, m->class);
	str_append(out, ",\"issue\":");
	if (m->issue != 0)
		str_printf(out, "%lld", (long long)m->issue);
	else
		str_append(out, "null");
	str_append(out, ",\"customer_id\":");
	if (m->customer_id != 0)
		str_printf(out, "%lld", (long long)m->customer_id);
	else
		str_append(out, "null");
	str_append(out, ",\"from\":");
	str_append_json(out, m->from_addr);
	str_append(out, ",\"to\":");
	str_append_json(out, m->to_addrs);
	str_append(out, ",\"subject\":");
	str_append_json(out, m->subject);
	str_append_json_time(out, "date", m->date);
	str_append(out, ",\"received_at\":");
	str_append_json(out, support_cli_time(m->received_at, t, sizeof(t)));
	str_append(out, ",\"match_reason\":");
	str_append_json(out, m->match_reason);
	str_append(out, ",\"in_reply_to\":");
	str_append_json(out, m->in_reply_to);
	str_append(out, ",\"failed_recipient\":");
	str_append_json(out, m->failed_recipient);
	str_append(out, ",\"original_message_id\":");
	str_append_json(out, m->original_message_id);
	str_append(out, "}\n");
}

static int
do_show(struct support_cli *cli, int64_t number, bool json)
{
	struct store_issue is;
	struct store_message *v;
	size_t n;
	const char *error;
	struct str out = STR_INIT;
	char t[32];
	int r;

	r = store_issue_get(cli->store, number, &is, &error);
	if (r < 0)
		return support_cli_store_error(cli, "issue show", error);
	if (r == 0) {
		fprintf(stderr, "ackmail: no issue #%lld\n", (long long)number);
		return EX_DATAERR;
	}
	if (store_message_list(cli->store, number, &v, &n, &error) < 0) {
		store_issue_clear(&is);
		return support_cli_store_error(cli, "issue show", error);
	}
	if (json) {
		issue_json(cli, &is, &out);
		for (size_t i = 0; i < n; i++)
			message_json(&v[i], &out);
	} else {
		struct store_customer c;

		str_printf(&out, "Issue #%lld: %s\nState:    %s\n",
			   (long long)is.number, is.subject,
			   store_issue_state_name(is.state));
		if (is.customer_id != 0 &&
		    store_customer_get(cli->store, is.customer_id, &c, &error) >
			0) {
			str_printf(&out, "Customer: %s%s%s%s\n", c.name,
				   c.company != NULL ? " (" : "",
				   c.company != NULL ? c.company : "",
				   c.company != NULL ? ")" : "");
			if (c.phones != NULL)
				str_printf(&out, "Phone:    %s\n", c.phones);
			store_customer_clear(&c);
		} else if (is.opener != NULL)
			str_printf(&out, "From:     %s\n", is.opener);
		str_printf(&out, "Opened:   %s\n",
			   support_cli_time(is.opened_at, t, sizeof(t)));
		if (is.linked_issue != 0)
			str_printf(&out, "Linked:   #%lld\n",
				   (long long)is.linked_issue);
		for (size_t i = 0; i < n; i++) {
			str_printf(&out, "\n--- %s %s %s [%s]\n",
				   support_cli_time(v[i].date != 0
							? v[i].date
							: v[i].received_at,
						    t, sizeof(t)),
				   v[i].outgoing ? "ours" : "from",
				   v[i].from_addr != NULL ? v[i].from_addr : "",
				   v[i].class);
			str_printf(&out, "Subject: %s\n\n",
				   v[i].subject != NULL ? v[i].subject : "");
			if (v[i].body != NULL)
				str_printf(&out, "%s\n", v[i].body);
			else
				str_printf(&out, "(%s message)\n", v[i].class);
		}
	}
	for (size_t i = 0; i < n; i++)
		store_message_clear(&v[i]);
	free(v);
	store_issue_clear(&is);
	fputs(str_c(&out), stdout);
	str_free(&out);
	return EX_OK;
}

/* The hooks of the other engines for commands: h/outbound installs its
   "resolved" acknowledgement here (support_hooks.closed). */
static const char *close_note, *close_lang;

static void
install_hooks(struct support *support, struct support_cli *cli)
{
	outbound_cli_close_hook(support, cli->store, cli->config, close_note,
				close_lang);
}

static int
set_state(struct support_cli *cli, int64_t number, enum store_issue_state st,
	  bool tell)
{
	struct support *support = NULL;
	const char *error;
	int r;

	if (store_begin(cli->store, &error) < 0)
		return support_cli_store_error(cli, "issue", error);
	r = support_open(cli->config, cli->store, &support, &error);
	if (r > 0) {
		install_hooks(support, cli);
		r = support_issue_set_state(support, number, st, tell, &error);
	} else if (r == 0) {
		/* no [support] section: the state only */
		struct store_issue is;

		r = store_issue_get(cli->store, number, &is, &error);
		if (r > 0) {
			if (st >= STORE_ISSUE_RESOLVED &&
			    is.state < STORE_ISSUE_RESOLVED)
				is.closed_at = clock_now();
			if (st < STORE_ISSUE_RESOLVED)
				is.closed_at = 0;
			is.state = st;
			r = store_issue_update(cli->store, &is, &error);
			store_issue_clear(&is);
		}
	}
	support_close(&support);
	if (r <= 0) {
		store_rollback(cli->store);
		if (r == 0) {
			fprintf(stderr, "ackmail: no issue #%lld\n",
				(long long)number);
			return EX_DATAERR;
		}
		return support_cli_store_error(cli, "issue", error);
	}
	if (store_commit(cli->store, &error) < 0) {
		store_rollback(cli->store);
		return support_cli_store_error(cli, "issue", error);
	}
	outbound_cli_flush(cli->store, cli->config);
	return EX_OK;
}

static int
do_set(struct support_cli *cli, int64_t number, const struct issue_opts *o)
{
	struct store_issue is;
	const char *error;
	int r;

	if (o->state != NULL) {
		enum store_issue_state st;

		if (store_issue_state_parse(o->state, &st) < 0) {
			fprintf(stderr, "ackmail: unknown state '%s'\n",
				o->state);
			return EX_USAGE;
		}
		if ((r = set_state(cli, number, st, false)) != EX_OK)
			return r;
	}
	if (store_begin(cli->store, &error) < 0)
		return support_cli_store_error(cli, "issue set", error);
	r = store_issue_get(cli->store, number, &is, &error);
	if (r <= 0)
		goto fail;
	if (o->queue != NULL) {
		free(is.queue);
		is.queue = xstrdup(o->queue);
	}
	if (o->subject != NULL) {
		free(is.subject);
		is.subject = xstrdup(o->subject);
	}
	if (o->link > 0)
		is.linked_issue = o->link;
	if (o->customer != NULL &&
	    customer_of(cli, o->customer, &is.customer_id) <= 0) {
		fprintf(stderr, "ackmail: no customer %s\n", o->customer);
		store_issue_clear(&is);
		store_rollback(cli->store);
		return EX_DATAERR;
	}
	r = store_issue_update(cli->store, &is, &error);
	store_issue_clear(&is);
	for (size_t i = 0; r >= 0 && i < o->tags.n; i++)
		r = store_issue_add_tag(cli->store, number, o->tags.v[i],
					&error);
	if (r < 0 || store_commit(cli->store, &error) < 0)
		goto fail;
	return EX_OK;
fail:
	store_rollback(cli->store);
	if (r == 0) {
		fprintf(stderr, "ackmail: no issue #%lld\n", (long long)number);
		return EX_DATAERR;
	}
	return support_cli_store_error(cli, "issue set", error);
}

int
cmd_issue(int argc, char **argv)
{
	struct support_cli cli;
	struct issue_opts o;
	const char *sub;
	int64_t number = 0;
	int r;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	sub = argv[1];
	if ((r = parse_opts(argc - 1, argv + 1, &o)) >= 0) {
		strlist_free(&o.tags);
		return r;
	}
	argc -= 1 + optind;
	argv += 1 + optind;
	if (strcmp(sub, "list") != 0) {
		if (argc != 1 || (number = parse_number(argv[0])) == 0) {
			usage(stderr);
			strlist_free(&o.tags);
			return EX_USAGE;
		}
	} else if (argc != 0) {
		usage(stderr);
		strlist_free(&o.tags);
		return EX_USAGE;
	}
	if ((r = support_cli_open(&cli, o.config, o.db)) != 0) {
		strlist_free(&o.tags);
		return r;
	}
	if (strcmp(sub, "list") == 0)
		r = do_list(&cli, &o);
	else if (strcmp(sub, "show") == 0)
		r = do_show(&cli, number, o.json);
	else if (strcmp(sub, "set") == 0)
		r = do_set(&cli, number, &o);
	else if (strcmp(sub, "close") == 0) {
		close_note = o.note;
		close_lang = o.lang;
		r = set_state(&cli, number,
			      o.resolved ? STORE_ISSUE_RESOLVED
					 : STORE_ISSUE_CLOSED,
			      !o.quiet);
	} else if (strcmp(sub, "reopen") == 0)
		r = set_state(&cli, number, STORE_ISSUE_OPEN, false);
	else {
		fprintf(stderr, "ackmail: unknown issue command '%s'\n", sub);
		usage(stderr);
		r = EX_USAGE;
	}
	support_cli_close(&cli);
	strlist_free(&o.tags);
	return r;
}

int
cmd_message(int argc, char **argv)
{
	struct support_cli cli;
	struct issue_opts o;
	struct store_message *v;
	size_t n;
	const char *error;
	struct str out = STR_INIT;
	int r;

	if (argc < 2 || strcmp(argv[1], "list") != 0) {
		usage(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout
								  : stderr);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? EX_OK
								   : EX_USAGE;
	}
	if ((r = parse_opts(argc - 1, argv + 1, &o)) >= 0)
		return r;
	if ((r = support_cli_open(&cli, o.config, o.db)) != 0)
		return r;
	if (store_message_list(cli.store, o.issue, &v, &n, &error) < 0) {
		r = support_cli_store_error(&cli, "message list", error);
		support_cli_close(&cli);
		return r;
	}
	for (size_t i = 0; i < n; i++) {
		if (o.json)
			message_json(&v[i], &out);
		else {
			char num[24] = "-";

			if (v[i].issue != 0)
				snprintf(num, sizeof(num), "#%lld",
					 (long long)v[i].issue);
			str_printf(&out, "%-3s %-9s %-6s %s  %s\n",
				   v[i].outgoing ? "out" : "in", v[i].class,
				   num, v[i].message_id,
				   v[i].match_reason != NULL ? v[i].match_reason
							     : "");
		}
		store_message_clear(&v[i]);
	}
	free(v);
	fputs(str_c(&out), stdout);
	str_free(&out);
	support_cli_close(&cli);
	strlist_free(&o.tags);
	return EX_OK;
}
