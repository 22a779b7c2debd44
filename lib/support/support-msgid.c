/*
 * support-msgid.c - the Message-IDs of the mail we send: they carry the
 * issue number and a keyed hash (HMAC-SHA256 with [support] secret), so
 * a reply finds its issue and nobody can forge one.
 *
 *   ackmail.<issue>.<kind>.<unique>.<sig>@<hostname>
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "support-private.h"

#define SIG_HEX 20 /* 80 bits of the HMAC */

static void
sign(const struct support *support, const char *text, char out[SIG_HEX + 1])
{
	GHmac *h =
	    g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)support->secret,
		       strlen(support->secret));
	const char *hex;

	g_hmac_update(h, (const guchar *)text, (gssize)strlen(text));
	hex = g_hmac_get_string(h);
	memcpy(out, hex, SIG_HEX);
	out[SIG_HEX] = '\0';
	g_hmac_unref(h);
}

char *
support_message_id_new(struct support *support, int64_t issue, const char *kind)
{
	static unsigned counter;
	char sig[SIG_HEX + 1], *body, *id;

	body = xasprintf("ackmail.%lld.%s.%llx%x%x", (long long)issue,
			 kind != NULL && *kind != '\0' ? kind : "mail",
			 (unsigned long long)clock_now(), (unsigned)getpid(),
			 counter++);
	sign(support, body, sig);
	id = xasprintf("%s.%s@%s", body, sig, support->hostname);
	free(body);
	return id;
}

int
support_message_id_verify(struct support *support, const char *id,
			  int64_t *issue_r)
{
	const char *at = strrchr(id, '@'), *dot;
	char sig[SIG_HEX + 1], *body;
	long long issue;
	char *end;
	int ok;

	if (at == NULL || strncmp(id, "ackmail.", 8) != 0)
		return 0;
	/* the signature is the last dot-field before '@' */
	for (dot = at - 1; dot > id && *dot != '.'; dot--)
		;
	if (dot <= id || at - dot - 1 != SIG_HEX)
		return 0;
	issue = strtoll(id + 8, &end, 10);
	/* issue 0: mail about no issue (digests, on-duty mails) */
	if (end == id + 8 || *end != '.' || issue < 0)
		return 0;
	body = xstrndup(id, (size_t)(dot - id));
	sign(support, body, sig);
	ok = strncasecmp(sig, dot + 1, SIG_HEX) == 0;
	free(body);
	if (ok && issue_r != NULL)
		*issue_r = issue;
	return ok ? 1 : 0;
}

bool
support_is_our_message_id(const char *id, void *ctx)
{
	return support_message_id_verify(ctx, id, NULL) > 0;
}
