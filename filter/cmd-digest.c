/*
 * cmd-digest.c - ackmail digest [--format text|html|json] [--send [ADDR]]:
 * what the technicians should do today. --send mails it as
 * multipart/alternative (text and HTML) through the outbox, to ADDR or
 * else to [digest] to.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sysexits.h>

#include "commands.h"
#include "notices-cli.h"
#include "transport.h"

static const char digest_usage[] =
    "usage: ackmail digest [-c CONFIG] [--now TIME] "
    "[--format text|html|json] [--send [ADDR]]\n"
    "  --send without ADDR mails it to [digest] to\n";

static int
send_digest(struct notices_cli *cli, const struct digest *d, const char *to)
{
	struct str text = STR_INIT, html = STR_INIT, msg = STR_INIT;
	struct strlist rcpts = {0}, from_l = {0};
	const char *support =
	    config_get(cli->config, "support", NULL, "address");
	const char *error;
	char *mid, *from, *subject, boundary[64], day[32];
	unsigned char rnd[6] = {0};
	int ret = EX_OK;

	digest_text(d, &text);
	digest_html(d, &html);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	snprintf(boundary, sizeof(boundary),
		 "=_ackmail_digest_%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
		 rnd[2], rnd[3], rnd[4], rnd[5]);
	strlist_split(&from_l, support != NULL ? support : "postmaster", " ,");
	from = xasprintf(
	    "%s <%s>",
	    config_get_default(cli->config, "support", "name", "ackmail"),
	    from_l.n > 0 ? from_l.v[0] : "postmaster");
	notice_time_format(notices_time(cli->notices), cli->now, "%a %d %b",
			   day, sizeof(day));
	subject = digest_calls(d) > 0
		      ? xasprintf("Digest %s: %zu to call today", day,
				  digest_calls(d))
		      : xasprintf("Digest %s: nobody to call", day);
	mid = notices_cli_message_id(cli, 0, "digest");
	notices_compose_head(&msg, from, to, NULL, subject, mid, NULL,
			     cli->now);
	str_printf(&msg,
		   "Content-Type: multipart/alternative; boundary=\"%s\"\n\n"
		   "This is a digest in text and HTML.\n\n--%s\n"
		   "Content-Type: text/plain; charset=utf-8\n"
		   "Content-Transfer-Encoding: 8bit\n\n",
		   boundary, boundary);
	str_append(&msg, str_c(&text));
	str_printf(&msg,
		   "\n--%s\nContent-Type: text/html; charset=utf-8\n"
		   "Content-Transfer-Encoding: 8bit\n\n",
		   boundary);
	str_append(&msg, str_c(&html));
	str_printf(&msg, "\n--%s--\n", boundary);
	strlist_split(&rcpts, to, " ,");
	if (store_begin(cli->store, &error) < 0 ||
	    outbox_queue(cli->store, "digest", from_l.n > 0 ? from_l.v[0] : "",
			 &rcpts, msg.s, msg.len, mid, 0, NULL, &error) < 0 ||
	    store_commit(cli->store, &error) < 0) {
		store_rollback(cli->store);
		fprintf(stderr, "ackmail: digest: %s\n", error);
		ret = EX_TEMPFAIL;
	} else {
		notices_cli_flush(cli);
		printf("digest queued for %s\n", to);
	}
	strlist_free(&rcpts);
	strlist_free(&from_l);
	str_free(&text);
	str_free(&html);
	str_free(&msg);
	free(mid);
	free(from);
	free(subject);
	return ret;
}

int
cmd_digest(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"send", optional_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct notices_cli cli;
	struct digest *d = NULL;
	struct str out = STR_INIT;
	const char *format = "text", *send = NULL, *error;
	bool send_default = false;
	int c, ret;

	if ((ret = notices_cli_open(&cli, &argc, argv)) != EX_OK) {
		notices_cli_close(&cli);
		return ret;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'j')
			format = "json";
		else if (c == 's') {
			send = optarg;
			send_default = optarg == NULL;
		} else if (c == 'h') {
			fputs(digest_usage, stdout);
			notices_cli_close(&cli);
			return EX_OK;
		} else
			goto usage;
	}
	/* "--send ADDR" (the address as the next word) and "--send" alone */
	if (send_default && optind < argc && argv[optind][0] != '-') {
		send = argv[optind++];
		send_default = false;
	}
	if (send_default) {
		send = config_get(cli.config, "digest", NULL, "to");
		if (send == NULL || *send == '\0') {
			fprintf(stderr, "ackmail: digest --send: no address: "
					"give one, or set [digest] to\n");
			notices_cli_close(&cli);
			return EX_USAGE;
		}
	}
	if (optind != argc ||
	    (strcmp(format, "text") != 0 && strcmp(format, "html") != 0 &&
	     strcmp(format, "json") != 0))
		goto usage;
	if (digest_build(cli.notices, cli.config, cli.now, &d, &error) < 0) {
		fprintf(stderr, "ackmail: digest: %s\n", error);
		digest_free(&d);
		notices_cli_close(&cli);
		return EX_TEMPFAIL;
	}
	if (send != NULL)
		ret = send_digest(&cli, d, send);
	else {
		if (strcmp(format, "html") == 0)
			digest_html(d, &out);
		else if (strcmp(format, "json") == 0)
			digest_json(d, &out);
		else
			digest_text(d, &out);
		fputs(str_c(&out), stdout);
		ret = EX_OK;
	}
	str_free(&out);
	digest_free(&d);
	notices_cli_close(&cli);
	return ret;
usage:
	fputs(digest_usage, stderr);
	notices_cli_close(&cli);
	return EX_USAGE;
}
