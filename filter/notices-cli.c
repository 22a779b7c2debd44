/*
 * notices-cli.c - the plumbing of the notice, escalate and digest
 * commands, and the notices step of a delivery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sysexits.h>
#include <unistd.h>

#include "config-find.h"
#include "notices-cli.h"
#include "transport.h"

static int
mailer_queue(void *ctx, const char *kind, const char *from,
	     const struct strlist *rcpts, const char *data, size_t len,
	     const char *message_id, int64_t issue, const char **error_r)
{
	struct notices_mailer_ctx *mc = ctx;

	return outbox_queue(mc->store, kind, from, rcpts, data, len, message_id,
			    issue, NULL, error_r);
}

/* A unique Message-ID without the support core: random, unsigned. */
static char *
random_message_id(int64_t issue, const char *kind)
{
	unsigned char rnd[8];
	char host[256];
	unsigned long long v = 0;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		v = v << 8 | rnd[i];
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	return xasprintf("ackmail.%lld.%s.%llx.%lld@%s", (long long)issue, kind,
			 v, (long long)clock_now(), host);
}

/* Our signed Message-ID (support_message_id_new), as acknowledgements
   carry: a reply to it finds its issue, and a robot's answer to it is
   recognised as an answer to our own mail. */
static char *
mailer_message_id(void *ctx, int64_t issue, const char *kind)
{
	struct notices_mailer_ctx *mc = ctx;

	if (mc != NULL && mc->support != NULL)
		return support_message_id_new(mc->support, issue, kind);
	return random_message_id(issue, kind);
}

const struct notice_mailer notices_cli_mailer_template = {
    .queue = mailer_queue,
    .message_id = mailer_message_id,
};

int
notices_cli_open(struct notices_cli *cli, int *argcp, char **argv)
{
	const char *config_path = NULL, *now = NULL, *error;
	char *cerr = NULL;
	struct notice_mailer mailer = notices_cli_mailer_template;
	int argc = *argcp, out = 1;

	memset(cli, 0, sizeof(*cli));
	log_init("ackmail", true, 0);
	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 ||
		     strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc)
			config_path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			config_path = argv[i] + 9;
		else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc)
			now = argv[++i];
		else if (strncmp(argv[i], "--now=", 6) == 0)
			now = argv[i] + 6;
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argcp = out;
	if (config_find_load(config_path, &cli->config, &cerr) < 0) {
		fprintf(stderr, "ackmail: %s\n", cerr);
		free(cerr);
		return EX_CONFIG;
	}
	cli->db_path = config_db_path(cli->config);
	if (store_open(cli->db_path, 10000, &cli->store, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return store_error_transient(NULL) ? EX_TEMPFAIL : EX_CONFIG;
	}
	if (notices_init(cli->config, cli->store, &cli->notices, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_CONFIG;
	}
	if (now != NULL) {
		time_t t;

		if (notice_time_parse(notices_time(cli->notices), now, &t) <
		    0) {
			fprintf(stderr, "ackmail: --now: bad time '%s'\n", now);
			return EX_USAGE;
		}
		clock_set_now(t);
	}
	cli->now = clock_now();
	if (support_open(cli->config, cli->store, &cli->support, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		return EX_CONFIG;
	}
	cli->mailer_ctx.store = cli->store;
	cli->mailer_ctx.support = cli->support;
	mailer.ctx = &cli->mailer_ctx;
	notices_set_mailer(cli->notices, &mailer);
	return EX_OK;
}

void
notices_cli_close(struct notices_cli *cli)
{
	notices_deinit(&cli->notices);
	support_close(&cli->support);
	store_close(&cli->store);
	config_free(&cli->config);
	xfree(cli->db_path);
}

char *
notices_cli_message_id(struct notices_cli *cli, int64_t issue, const char *kind)
{
	cli->mailer_ctx.store = cli->store;
	cli->mailer_ctx.support = cli->support;
	return mailer_message_id(&cli->mailer_ctx, issue, kind);
}

void
notices_cli_flush(struct notices_cli *cli)
{
	struct transport_settings s;
	struct outbox_stats stats;
	char *err = NULL;
	long budget = 5;

	if (transport_settings_load(cli->config, &s, &err) < 0) {
		fprintf(stderr, "ackmail: %s (the mail stays queued)\n", err);
		free(err);
		return;
	}
	config_get_duration(cli->config, "outbound", "flush_budget", 5,
			    &budget);
	outbox_flush_bounded(cli->db_path, &s, budget * 1000, &stats);
	transport_settings_free(&s);
}

void
notices_cli_json(struct str *out, const struct store_notice *n)
{
	str_printf(out, "{\"id\":%lld", (long long)n->id);
	str_append_json_member(out, "state", n->state);
	if (n->customer != 0)
		str_printf(out, ",\"customer\":%lld", (long long)n->customer);
	else
		str_append(out, ",\"customer\":null");
	if (n->issue != 0)
		str_printf(out, ",\"issue\":%lld", (long long)n->issue);
	else
		str_append(out, ",\"issue\":null");
	str_append_json_member(out, "to", n->to);
	str_append_json_member(out, "cc", n->cc);
	str_append_json_member(out, "subject", n->subject);
	str_append_json_member(out, "message_id", n->message_id);
	str_append_json_member(out, "sender", n->sender);
	str_append_json_member(out, "source", n->source);
	str_append_json_time(out, "sent_at", n->sent_at);
	str_append_json_time(out, "deadline", n->deadline);
	str_append_json_time(out, "change_at", n->change_at);
	str_append_json_time(out, "escalated_at", n->escalated_at);
	str_append_json_member(out, "reason", n->reason);
	str_append_json_time(out, "away_until", n->away_until);
	str_append_json_member(out, "ack_by", n->ack_by);
	str_append_json_time(out, "ack_at", n->ack_at);
	str_append_json_member(out, "ack_excerpt", n->ack_excerpt);
	str_append_json_time(out, "reminded_at", n->reminded_at);
	str_append(out, "}");
}

void
notices_cli_when(const struct notices_cli *cli, time_t t, char *buf,
		 size_t size)
{
	if (t == 0) {
		snprintf(buf, size, "-");
		return;
	}
	notice_time_format(notices_time(cli->notices), t, "%a %d %b %H:%M", buf,
			   size);
}
