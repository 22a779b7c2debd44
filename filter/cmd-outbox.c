/*
 * cmd-outbox.c - ackmail outbox list|flush|drop|queue: look at and send
 * what ackmail has to send (cron or a systemd timer runs "flush").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "config-find.h"
#include "store.h"
#include "transport.h"
#include "util.h"

static const char outbox_usage[] =
    "usage: ackmail outbox [-c CONFIG] list [--json] [--state STATE]\n"
    "       ackmail outbox [-c CONFIG] flush [--budget DURATION]\n"
    "       ackmail outbox [-c CONFIG] drop ID...\n"
    "       ackmail outbox [-c CONFIG] queue [--kind KIND] [--from SENDER] "
    "RCPT... < message\n";

static void
print_item(struct store *store, const struct store_outbox_item *it, bool json)
{
	char created[32], next[32];
	struct store_outbox_rcpt *done = NULL;
	size_t ndone = 0;
	const char *error;

	clock_iso8601(it->created, created, sizeof(created));
	clock_iso8601(it->next_attempt, next, sizeof(next));
	if (json) {
		struct str s = STR_INIT;

		str_printf(&s, "{\"id\":%lld,\"kind\":", (long long)it->id);
		str_append_json(&s, it->kind);
		str_append(&s, ",\"state\":");
		str_append_json(&s, it->state);
		str_append(&s, ",\"from\":");
		str_append_json(&s, it->env_from);
		str_append(&s, ",\"to\":");
		str_append_json(&s, it->rcpts);
		str_append(&s, ",\"message_id\":");
		str_append_json(&s, it->message_id);
		str_printf(&s, ",\"issue\":%lld,\"attempts\":%d,\"created\":",
			   (long long)it->issue, it->attempts);
		str_append_json(&s, created);
		str_append(&s, ",\"next_attempt\":");
		str_append_json(&s, next);
		str_append(&s, ",\"last_error\":");
		str_append_json(&s, it->last_error);
		/* the recipients that have their final answer */
		if (store_outbox_rcpts(store, it->id, &done, &ndone, &error) <
		    0)
			ndone = 0;
		str_append(&s, ",\"rcpts\":[");
		for (size_t i = 0; i < ndone; i++) {
			str_append(&s, i > 0 ? ",{\"to\":" : "{\"to\":");
			str_append_json(&s, done[i].rcpt);
			str_append(&s, ",\"state\":");
			str_append_json(&s, done[i].state);
			str_append(&s, ",\"error\":");
			str_append_json(&s, done[i].error);
			str_append(&s, "}");
		}
		str_append(&s, "]}");
		store_outbox_rcpts_free(done, ndone);
		printf("%s\n", str_c(&s));
		str_free(&s);
		return;
	}
	printf("%-6lld %-8s %-10s %-30s att=%d next=%s %s\n", (long long)it->id,
	       it->state, it->kind, it->rcpts, it->attempts, next,
	       it->last_error != NULL ? it->last_error : "");
}

static int
outbox_list(struct store *store, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"state", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct store_outbox_item *v;
	const char *state = NULL, *error;
	bool json = false;
	size_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "js:", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 's')
			state = strcmp(optarg, "all") == 0 ? "%all" : optarg;
		else {
			fputs(outbox_usage, stderr);
			return EX_USAGE;
		}
	}
	if (state != NULL && strcmp(state, "%all") == 0) {
		static const char *const all[] = {"queued", "sending", "failed",
						  "sent", "dropped"};

		for (size_t i = 0; i < N_ELEMENTS(all); i++) {
			if (store_outbox_list(store, all[i], &v, &n, &error) <
			    0)
				goto fail;
			for (size_t j = 0; j < n; j++) {
				print_item(store, &v[j], json);
				store_outbox_item_free(&v[j]);
			}
			free(v);
		}
		return EX_OK;
	}
	if (store_outbox_list(store, state, &v, &n, &error) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		print_item(store, &v[i], json);
		store_outbox_item_free(&v[i]);
	}
	free(v);
	return EX_OK;
fail:
	fprintf(stderr, "ackmail: %s\n", error);
	return EX_TEMPFAIL;
}

static int
outbox_flush_cmd(struct store *store, const struct config *config, int argc,
		 char **argv)
{
	static const struct option opts[] = {
	    {"budget", required_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	struct transport_settings s;
	struct outbox_stats st;
	const char *error;
	char *err;
	long budget = 0;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (c == 'b' && clock_parse_duration(optarg, &budget) == 0)
			continue;
		fputs(outbox_usage, stderr);
		return EX_USAGE;
	}
	if (transport_settings_load(config, &s, &err) < 0) {
		fprintf(stderr, "ackmail: %s\n", err);
		free(err);
		return EX_CONFIG;
	}
	if (budget > 0) {
		/* the bounded flush a delivery does: a child with its own
		   store connection, stopped when the budget is spent */
		char *db = config_db_path(config);

		r = outbox_flush_bounded(db, &s, budget * 1000, &st);
		free(db);
		transport_settings_free(&s);
		if (r < 0) {
			fprintf(stderr, "ackmail: cannot start the flush\n");
			return EX_TEMPFAIL;
		}
		printf("%s: sent %d, deferred %d, failed %d, queued %d\n",
		       r == 1 ? "stopped" : "done", st.sent, st.retry,
		       st.failed, st.remaining);
		return EX_OK;
	}
	r = outbox_flush(store, &s, 0, &st, &error);
	transport_settings_free(&s);
	if (r < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_TEMPFAIL;
	}
	printf("sent %d, deferred %d, failed %d, queued %d\n", st.sent,
	       st.retry, st.failed, st.remaining);
	return EX_OK;
}

static int
outbox_drop(struct store *store, int argc, char **argv)
{
	int status = EX_OK;

	if (argc < 2) {
		fputs(outbox_usage, stderr);
		return EX_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const char *error;
		char *end;
		long long id = strtoll(argv[i], &end, 10);
		int r;

		if (*argv[i] == '\0' || *end != '\0' || id <= 0) {
			fprintf(stderr, "ackmail: '%s' is not a message id\n",
				argv[i]);
			status = EX_USAGE;
			continue;
		}
		r = store_outbox_drop(store, id, &error);
		if (r < 0) {
			fprintf(stderr, "ackmail: %s\n", error);
			return EX_TEMPFAIL;
		}
		if (r == 0) {
			fprintf(stderr,
				"ackmail: no queued or failed message %lld\n",
				id);
			status = EX_DATAERR;
		} else
			printf("dropped %lld\n", id);
	}
	return status;
}

/* The Message-ID of the message's own header (without brackets), so
   that a bounce of it can be matched; NULL when it has none. */
static char *
header_message_id(const char *data)
{
	for (const char *p = data; *p != '\0' && *p != '\n';) {
		const char *e = strchr(p, '\n');

		if (strncasecmp(p, "Message-ID:", 11) == 0) {
			const char *a = strchr(p, '<'), *b;

			if (a == NULL || (e != NULL && a > e))
				return NULL;
			b = strchr(a, '>');
			if (b == NULL || (e != NULL && b > e) || b == a + 1)
				return NULL;
			return xstrndup(a + 1, (size_t)(b - a - 1));
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return NULL;
}

static int
outbox_queue_cmd(struct store *store, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"kind", required_argument, NULL, 'k'},
	    {"from", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	const char *kind = "manual", *from = "", *error;
	char *mid;
	struct strlist rcpts = {0};
	struct str data = STR_INIT;
	int64_t id;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:f:", opts, NULL)) != -1) {
		if (c == 'k')
			kind = optarg;
		else if (c == 'f')
			from = strcmp(optarg, "<>") == 0 ? "" : optarg;
		else {
			fputs(outbox_usage, stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(outbox_usage, stderr);
		return EX_USAGE;
	}
	for (int i = optind; i < argc; i++)
		strlist_add(&rcpts, argv[i]);
	if (read_full(0, &data) < 0) {
		fprintf(stderr, "ackmail: reading the message failed\n");
		strlist_free(&rcpts);
		return EX_IOERR;
	}
	mid = header_message_id(str_c(&data));
	if (outbox_queue(store, kind, from, &rcpts, str_c(&data), data.len, mid,
			 0, &id, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		strlist_free(&rcpts);
		str_free(&data);
		free(mid);
		return EX_TEMPFAIL;
	}
	free(mid);
	printf("queued %lld\n", (long long)id);
	strlist_free(&rcpts);
	str_free(&data);
	return EX_OK;
}

int
cmd_outbox(int argc, char **argv)
{
	const char *config_file = NULL;
	struct config *config = NULL;
	struct store *store = NULL;
	const char *error;
	char *err, *db;
	int i = 1, status;

	log_init("ackmail", true, 0);
	while (i < argc && argv[i][0] == '-') {
		if ((strcmp(argv[i], "-c") == 0 ||
		     strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc) {
			config_file = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			fputs(outbox_usage, stdout);
			return EX_OK;
		} else {
			fputs(outbox_usage, stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		fputs(outbox_usage, stderr);
		return EX_USAGE;
	}
	if (config_find_load(config_file, &config, &err) < 0) {
		fprintf(stderr, "ackmail: %s\n", err);
		free(err);
		return EX_CONFIG;
	}
	db = config_db_path(config);
	if (store_open(db, 5000, &store, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		free(db);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	free(db);
	argc -= i;
	argv += i;
	if (strcmp(argv[0], "list") == 0)
		status = outbox_list(store, argc, argv);
	else if (strcmp(argv[0], "flush") == 0)
		status = outbox_flush_cmd(store, config, argc, argv);
	else if (strcmp(argv[0], "drop") == 0)
		status = outbox_drop(store, argc, argv);
	else if (strcmp(argv[0], "queue") == 0)
		status = outbox_queue_cmd(store, argc, argv);
	else {
		fputs(outbox_usage, stderr);
		status = EX_USAGE;
	}
	store_close(&store);
	config_free(&config);
	return status;
}
