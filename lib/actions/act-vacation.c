/*
 * act-vacation.c - vacation (Sieve RFC 5230): decide whether the reply
 * may go out (lib/sieve's reply-or-not rules and the per-sender record
 * in the state database), then send it through sendmail(8) with the
 * null envelope sender. A reply that cannot be sent is logged; it never
 * fails the delivery of the message itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "deliver.h"
#include "msg.h"
#include "sieve.h"

static void
shell_quote(struct str *cmd, const char *s)
{
	str_appendc(cmd, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			str_append(cmd, "'\\''");
		else
			str_appendc(cmd, *s);
	}
	str_appendc(cmd, '\'');
}

static int
vacation_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
		const char **error_r)
{
	struct sieve_vacation_store *records =
	    ctx->store != NULL ? sieve_records_from_store(ctx->store) : NULL;
	const char *rcpt = msg_envelope_to(ctx->msg);
	const char *reason = NULL, *err = NULL;
	const char *sendmail = config_get_default(
	    ctx->config, "outbound", "sendmail", "/usr/sbin/sendmail");
	struct str cmd = STR_INIT;
	char *reply;
	int r, status;

	r = sieve_vacation_decide(ctx->msg, a, rcpt, records, &reason);
	sieve_records_free(&records);
	if (r <= 0) {
		if (r < 0)
			log_warnx("vacation: cannot read or write the reply "
				  "records; no reply sent");
		else
			log_info("vacation: no reply to <%s>: %s",
				 a->vac_to != NULL ? a->vac_to : "", reason);
		return 0;
	}
	if (ctx->dry_run)
		return 0;
	reply = sieve_vacation_reply(ctx->msg, a, rcpt);
	str_printf(&cmd, "%s -oi -f '<>' -- ", sendmail);
	shell_quote(&cmd, a->vac_to);
	if (pipe_run_data(str_c(&cmd), true, reply, strlen(reply),
			  ctx->pipe_timeout, NULL, &status, &err) < 0 ||
	    status != 0)
		log_warnx("vacation: reply to <%s> not sent: %s", a->vac_to,
			  err != NULL ? err : "sendmail failed");
	else {
		if (ctx->summary.len > 0)
			str_append(&ctx->summary, "; ");
		str_printf(&ctx->summary, "vacation <%s>", a->vac_to);
	}
	free(reply);
	str_free(&cmd);
	(void)outcome_r;
	(void)error_r;
	return 0;
}

const struct action_def act_vacation = {
    .name = "vacation",
    .commit = vacation_commit,
};
