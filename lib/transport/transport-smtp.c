/*
 * transport-smtp.c - submission by SMTP through libetpan: plain, STARTTLS
 * or implicit TLS with the server certificate verified (GnuTLS, against
 * [outbound] smtp_ca_file or the system trust store, and the host name),
 * AUTH PLAIN/LOGIN, a timeout on every step bounded by the caller's
 * deadline. One connection serves a batch (RSET between messages).
 *
 * Verification checks the chain the server presents (its certificate and
 * the intermediates it sends along) up to a trust anchor: smtp_ca_file
 * (or the system store) needs only the root.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#include "transport-private.h"

struct smtp_conn {
	mailsmtp *session;
	bool esmtp;
};

static void
smtp_close(struct transport *t)
{
	if (t->smtp == NULL)
		return;
	if (t->smtp->session != NULL) {
		mailsmtp_free(t->smtp->session);
		t->smtp->session = NULL;
	}
	xfree(t->smtp);
}

static void
tls_setup(struct mailstream_ssl_context *ctx, void *data)
{
	struct transport *t = data;

	/* SNI, so that a server with several names shows the right one */
	mailstream_ssl_set_server_name(ctx, t->s->host);
}

/* Verifies the certificate chain the server sent: its own certificate
   first, then the intermediates it sends along; the chain must end at a
   trust anchor of smtp_ca_file (or the system store), so only the root
   needs to be there. Then the host name. 0/-1. */
static int
tls_verify(struct transport *t, char **reason_r)
{
	carray *chain =
	    mailstream_get_certificate_chain(t->smtp->session->stream);
	gnutls_x509_trust_list_t list = NULL;
	gnutls_x509_crt_t *certs = NULL;
	gnutls_typed_vdata_st vdata;
	unsigned int status = 0, n = 0, ncerts = 0;
	int r = -1, vr;

	if (chain == NULL || (n = carray_count(chain)) == 0) {
		*reason_r = xstrdup("TLS: the server showed no certificate");
		goto out;
	}
	certs = xcalloc(n, sizeof(*certs));
	for (unsigned int i = 0; i < n; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t datum = {(unsigned char *)der->str,
					(unsigned int)der->len};

		if (gnutls_x509_crt_init(&certs[i]) < 0) {
			*reason_r = xstrdup("TLS: out of memory");
			goto out;
		}
		ncerts++;
		if (gnutls_x509_crt_import(certs[i], &datum,
					   GNUTLS_X509_FMT_DER) < 0) {
			*reason_r = xasprintf("TLS: cannot read certificate "
					      "%u the server sent",
					      i + 1);
			goto out;
		}
	}
	if (gnutls_x509_trust_list_init(&list, 0) < 0) {
		*reason_r = xstrdup("TLS: cannot make a trust list");
		goto out;
	}
	if (t->s->ca_file != NULL) {
		if (gnutls_x509_trust_list_add_trust_file(
			list, t->s->ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0) <=
		    0) {
			*reason_r = xasprintf("TLS: no CA certificate in %s",
					      t->s->ca_file);
			goto out;
		}
	} else if (gnutls_x509_trust_list_add_system_trust(list, 0, 0) <= 0) {
		*reason_r = xstrdup("TLS: the system trust store is empty");
		goto out;
	}
	/* the name is checked on its own below, for a clearer reason */
	memset(&vdata, 0, sizeof(vdata));
	vdata.type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata.data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	vr = gnutls_x509_trust_list_verify_crt2(list, certs, ncerts, &vdata, 1,
						0, &status, NULL);
	if (vr < 0 || status != 0) {
		gnutls_datum_t txt = {NULL, 0};

		if (vr >= 0)
			gnutls_certificate_verification_status_print(
			    status, GNUTLS_CRT_X509, &txt, 0);
		*reason_r =
		    xasprintf("TLS: the certificate of %s is not trusted (%s)",
			      t->s->host,
			      vr < 0		 ? gnutls_strerror(vr)
			      : txt.data != NULL ? (const char *)txt.data
						 : "unknown reason");
		gnutls_free(txt.data);
		goto out;
	}
	if (!gnutls_x509_crt_check_hostname(certs[0], t->s->host)) {
		*reason_r = xasprintf("TLS: the certificate does not name %s",
				      t->s->host);
		goto out;
	}
	r = 0;
out:
	if (list != NULL)
		gnutls_x509_trust_list_deinit(list, 1);
	for (unsigned int i = 0; i < ncerts; i++)
		gnutls_x509_crt_deinit(certs[i]);
	free(certs);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	return r;
}

/* The status for a failed libetpan call: 5xx is permanent, anything
   else (4xx, no answer, broken connection, timeout) is temporary. */
static enum transport_status
smtp_fail(struct transport *t, int r, const char *step, char **reason_r)
{
	mailsmtp *s = t->smtp->session;
	int code = s != NULL ? s->response_code : 0;
	const char *text = s != NULL && s->response != NULL ? s->response : "";

	if (code >= 400) {
		size_t n = strlen(text);

		while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
			n--;
		*reason_r = xasprintf("%s: %d %.*s", step, code, (int)n, text);
	} else
		*reason_r = xasprintf("%s: %s", step, mailsmtp_strerror(r));
	/* a connection in an unknown state is not reused */
	smtp_close(t);
	return code >= 500 && code < 600 ? TRANSPORT_PERMFAIL
					 : TRANSPORT_TEMPFAIL;
}

static void
set_step_timeout(struct transport *t)
{
	transport_step_timeout(t);
	mailsmtp_set_timeout(t->smtp->session, t->step_timeout);
	/* libetpan reads with the stream's own timeout, which a plain
	   socket stream takes from this global (mailsmtp_set_timeout only
	   bounds the connect): one session at a time, so setting it for
	   every step bounds every read */
	mailstream_network_delay.tv_sec = t->step_timeout;
	mailstream_network_delay.tv_usec = 0;
	if (t->smtp->session->stream != NULL)
		mailstream_low_set_timeout(
		    mailstream_get_low(t->smtp->session->stream),
		    t->step_timeout);
}

static enum transport_status
smtp_connect(struct transport *t, char **reason_r)
{
	const struct transport_settings *s = t->s;
	int r;

	t->smtp = xcalloc(1, sizeof(*t->smtp));
	t->smtp->session = mailsmtp_new(0, NULL);
	set_step_timeout(t);
	if (s->tls == TRANSPORT_TLS_IMPLICIT)
		r = mailsmtp_ssl_connect_with_callback(
		    t->smtp->session, s->host, (uint16_t)s->port, tls_setup, t);
	else
		r = mailsmtp_socket_connect(t->smtp->session, s->host,
					    (uint16_t)s->port);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(t, r, "connect", reason_r);
	if (s->tls == TRANSPORT_TLS_IMPLICIT && tls_verify(t, reason_r) < 0) {
		smtp_close(t);
		return TRANSPORT_TEMPFAIL;
	}
	set_step_timeout(t);
	r = mailesmtp_ehlo(t->smtp->session);
	if (r == MAILSMTP_NO_ERROR)
		t->smtp->esmtp = true;
	else if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
		r = mailsmtp_helo(t->smtp->session);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(t, r, "EHLO", reason_r);
	if (s->tls == TRANSPORT_TLS_STARTTLS) {
		if (!(t->smtp->session->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
			*reason_r =
			    xasprintf("%s does not offer STARTTLS", s->host);
			smtp_close(t);
			return TRANSPORT_TEMPFAIL;
		}
		set_step_timeout(t);
		r = mailsmtp_socket_starttls_with_callback(t->smtp->session,
							   tls_setup, t);
		if (r != MAILSMTP_NO_ERROR)
			return smtp_fail(t, r, "STARTTLS", reason_r);
		if (tls_verify(t, reason_r) < 0) {
			smtp_close(t);
			return TRANSPORT_TEMPFAIL;
		}
		set_step_timeout(t);
		r = mailesmtp_ehlo(t->smtp->session);
		if (r != MAILSMTP_NO_ERROR)
			return smtp_fail(t, r, "EHLO after STARTTLS", reason_r);
	}
	if (s->user != NULL) {
		const char *mech;
		int auth = t->smtp->session->auth;

		if (s->tls == TRANSPORT_TLS_NONE && !transport_host_local(s)) {
			*reason_r = xstrdup("refusing to send a password "
					    "without TLS");
			smtp_close(t);
			return TRANSPORT_PERMFAIL;
		}
		if (auth & MAILSMTP_AUTH_PLAIN)
			mech = "PLAIN";
		else if (auth & MAILSMTP_AUTH_LOGIN)
			mech = "LOGIN";
		else {
			*reason_r = xasprintf("%s offers neither AUTH PLAIN "
					      "nor LOGIN",
					      s->host);
			smtp_close(t);
			return TRANSPORT_TEMPFAIL;
		}
		set_step_timeout(t);
		r = mailesmtp_auth_sasl(t->smtp->session, mech, s->host, NULL,
					NULL, s->user, s->user, s->password,
					NULL);
		if (r != MAILSMTP_NO_ERROR)
			return smtp_fail(t, r, "AUTH", reason_r);
	}
	return TRANSPORT_SENT;
}

void
transport_smtp_quit(struct transport *t)
{
	if (t->smtp != NULL && t->smtp->session != NULL) {
		set_step_timeout(t);
		mailsmtp_quit(t->smtp->session);
	}
	smtp_close(t);
}

/* The server's last answer, "RCPT TO <a>: 550 5.1.1 no such user". */
static char *
smtp_answer(struct transport *t, const char *step, const char *rcpt)
{
	mailsmtp *s = t->smtp->session;
	const char *text = s->response != NULL ? s->response : "";
	size_t n = strlen(text);

	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	return xasprintf("%s <%s>: %d %.*s", step, rcpt, s->response_code,
			 (int)n, text);
}

enum transport_status
transport_smtp_submit(struct transport *t, const char *env_from,
		      const struct strlist *rcpts, const char *data, size_t len,
		      struct transport_rcpt *rcpt_r, char **reason_r)
{
	enum transport_status st, refused = TRANSPORT_PERMFAIL;
	const char *step;
	size_t accepted = 0;
	int r;

	if (t->smtp == NULL) {
		st = smtp_connect(t, reason_r);
		if (st != TRANSPORT_SENT)
			return st;
	} else {
		set_step_timeout(t);
		r = mailsmtp_reset(t->smtp->session);
		if (r != MAILSMTP_NO_ERROR) {
			/* the server may have dropped an idle connection */
			smtp_close(t);
			free(*reason_r);
			*reason_r = NULL;
			st = smtp_connect(t, reason_r);
			if (st != TRANSPORT_SENT)
				return st;
		}
	}
	set_step_timeout(t);
	r = mailsmtp_mail(t->smtp->session, env_from);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(t, r, "MAIL FROM", reason_r);
	for (size_t i = 0; i < rcpts->n; i++) {
		int code;

		set_step_timeout(t);
		r = mailsmtp_rcpt(t->smtp->session, rcpts->v[i]);
		if (r == MAILSMTP_NO_ERROR) {
			rcpt_r[i].status = TRANSPORT_SENT;
			accepted++;
			continue;
		}
		code = t->smtp->session->response_code;
		if (code < 400 || code >= 600)
			/* no answer, or a broken connection: the message
			   as a whole is in trouble */
			return smtp_fail(t, r, "RCPT TO", reason_r);
		/* refused: this recipient only; the others go on */
		rcpt_r[i].status =
		    code >= 500 ? TRANSPORT_PERMFAIL : TRANSPORT_TEMPFAIL;
		rcpt_r[i].reason = smtp_answer(t, "RCPT TO", rcpts->v[i]);
		if (code < 500)
			refused = TRANSPORT_TEMPFAIL;
		if (*reason_r == NULL)
			*reason_r = xstrdup(rcpt_r[i].reason);
	}
	if (accepted == 0) {
		/* nobody to send it to: the connection stays usable (RSET
		   before the next message) */
		return refused;
	}
	set_step_timeout(t);
	r = mailsmtp_data(t->smtp->session);
	if (r != MAILSMTP_NO_ERROR) {
		step = "DATA";
		goto whole;
	}
	set_step_timeout(t);
	/* converts LF to CRLF and dot-stuffs */
	r = mailsmtp_data_message(t->smtp->session, data, len);
	if (r != MAILSMTP_NO_ERROR) {
		step = "end of DATA";
		goto whole;
	}
	/* the reason of the refused ones stays for the caller's log; the
	   message went out */
	return TRANSPORT_SENT;
whole:
	/* the accepted recipients share the failure (transport_submit);
	   the refused ones keep their own answer */
	free(*reason_r);
	*reason_r = NULL;
	return smtp_fail(t, r, step, reason_r);
}
