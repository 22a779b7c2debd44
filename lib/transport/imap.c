/*
 * imap.c - the IMAP client behind `ackmail poll`, over libetpan's
 * mailimap: connection (implicit TLS, STARTTLS, or plain on loopback),
 * certificate verification with GnuTLS, login, SELECT, batched UID
 * SEARCH / UID FETCH, MOVE with its COPY fallback, CREATE, STORE, IDLE.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#include "transport.h"

struct imap_conn {
	mailimap *imap;
	char *host;
	char *error;
	char sep;	 /* hierarchy separator, 0 until asked */
	char *ns_prefix; /* personal namespace prefix, server spelling */
	bool have_sep;
	bool move, uidplus, idle;
	bool broken;
	char *processed_flag; /* our mark on messages we filed, or NULL */
	char *own_flag;	      /* with \Deleted: deleted by us (no UIDPLUS) */
	struct strlist known; /* mailboxes known to exist */
};

static char connect_error[512];

static int
conn_fail(struct imap_conn *c, const char *what, int r, const char **error_r)
{
	const char *resp = c->imap != NULL ? c->imap->imap_response : NULL;

	free(c->error);
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE ||
	    r == MAILIMAP_ERROR_CONNECTION_REFUSED)
		c->broken = true;
	/* after a stream error the response text is the previous one */
	if (c->broken || resp == NULL || *resp == '\0')
		c->error = xasprintf("%s: %s: %s", c->host, what,
				     c->broken ? "connection lost" : "failed");
	else
		c->error = xasprintf("%s: %s: %s", c->host, what, resp);
	*error_r = c->error;
	return -1;
}

/* ---- connecting ---- */

static int
tcp_connect(const char *host, int port, long timeout, const char **error_r)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	int fd = -1, r, err = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if ((r = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		snprintf(connect_error, sizeof(connect_error), "%s: %s", host,
			 gai_strerror(r));
		*error_r = connect_error;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t len = sizeof(err);
		int flags;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		r = connect(fd, ai->ai_addr, ai->ai_addrlen);
		if (r < 0 && errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			r = poll(&pfd, 1, (int)(timeout * 1000));
			if (r == 0) {
				err = ETIMEDOUT;
				r = -1;
			} else if (r > 0 &&
				   getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
					      &len) == 0 &&
				   err == 0) {
				r = 0;
			} else {
				if (err == 0)
					err = errno;
				r = -1;
			}
		} else if (r < 0) {
			err = errno;
		}
		if (r == 0) {
			fcntl(fd, F_SETFL, flags);
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(connect_error, sizeof(connect_error), "%s port %d: %s",
			 host, port, strerror(err));
		*error_r = connect_error;
	}
	return fd;
}

/* True when the connected peer is a loopback address. */
static bool
fd_is_loopback(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return false;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)&ss;

		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
			in6->sin6_addr.s6_addr[12] == 127);
	}
	return false;
}

/* libetpan (1.9.4) loops for ever when the peer closes the connection
   in the middle of a literal: its low-level read returns 0 and the
   parser asks again. Every low-level stream gets a driver whose read
   turns end-of-file into an error, so a dropped connection fails the
   command as it should. */
struct eof_driver {
	const mailstream_low_driver *orig;
	mailstream_low_driver patched;
};

static struct eof_driver eof_drivers[4];

static ssize_t
eof_read(mailstream_low *low, void *buf, size_t count)
{
	for (size_t i = 0; i < N_ELEMENTS(eof_drivers); i++) {
		if (low->driver == &eof_drivers[i].patched) {
			ssize_t r = eof_drivers[i].orig->mailstream_read(
			    low, buf, count);

			return r == 0 && count > 0 ? -1 : r;
		}
	}
	return -1;
}

static void
guard_eof(mailstream *stream)
{
	mailstream_low *low = mailstream_get_low(stream);

	if (low == NULL)
		return;
	for (size_t i = 0; i < N_ELEMENTS(eof_drivers); i++) {
		struct eof_driver *d = &eof_drivers[i];

		if (low->driver == &d->patched)
			return;
		if (d->orig == low->driver || d->orig == NULL) {
			if (d->orig == NULL) {
				d->orig = low->driver;
				d->patched = *low->driver;
				d->patched.mailstream_read = eof_read;
			}
			low->driver = &d->patched;
			return;
		}
	}
}

static void
tls_callback(struct mailstream_ssl_context *ctx, void *data)
{
	/* SNI, so that a shared host presents the right certificate */
	mailstream_ssl_set_server_name(ctx, data);
}

/* Verifies the server's certificate chain against the trust anchors and
   the host name. libetpan's GnuTLS layer does not verify anything
   itself, so this runs before a single credential is sent. */
static int
tls_verify(struct imap_conn *c, const char *ca_file, const char **error_r)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t *certs = NULL;
	gnutls_typed_vdata_st vdata[2];
	carray *chain;
	unsigned int status = 0, n, i, ncerts = 0;
	int r, ret = -1;

	chain = mailstream_get_certificate_chain(c->imap->imap_stream);
	if (chain == NULL || carray_count(chain) == 0) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: no server certificate", c->host);
		goto out;
	}
	n = carray_count(chain);
	certs = xcalloc(n, sizeof(*certs));
	for (i = 0; i < n; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t d = {(unsigned char *)der->str,
				    (unsigned int)der->len};

		if (gnutls_x509_crt_init(&certs[i]) < 0)
			goto out;
		ncerts++;
		if (gnutls_x509_crt_import(certs[i], &d, GNUTLS_X509_FMT_DER) <
		    0) {
			snprintf(connect_error, sizeof(connect_error),
				 "%s: unreadable server certificate", c->host);
			goto out;
		}
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		goto out;
	if (ca_file != NULL)
		r = gnutls_x509_trust_list_add_trust_file(
		    tl, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
	else
		r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r <= 0) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: no trust anchors loaded from %s", c->host,
			 ca_file != NULL ? ca_file : "the system store");
		goto out;
	}
	memset(vdata, 0, sizeof(vdata));
	vdata[0].type = GNUTLS_DT_DNS_HOSTNAME;
	vdata[0].data = (unsigned char *)c->host;
	vdata[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	r = gnutls_x509_trust_list_verify_crt2(tl, certs, ncerts, vdata, 2, 0,
					       &status, NULL);
	if (r < 0 || status != 0) {
		gnutls_datum_t txt = {NULL, 0};

		if (r >= 0)
			gnutls_certificate_verification_status_print(
			    status, GNUTLS_CRT_X509, &txt, 0);
		snprintf(connect_error, sizeof(connect_error),
			 "%s: certificate not trusted: %s", c->host,
			 r < 0 ? gnutls_strerror(r)
			       : (txt.data != NULL ? (const char *)txt.data
						   : "unknown reason"));
		gnutls_free(txt.data);
		goto out;
	}
	ret = 0;
out:
	if (ret < 0 && connect_error[0] == '\0')
		snprintf(connect_error, sizeof(connect_error),
			 "%s: certificate check failed", c->host);
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (i = 0; i < ncerts; i++)
		gnutls_x509_crt_deinit(certs[i]);
	free(certs);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	if (ret < 0)
		*error_r = connect_error;
	return ret;
}

static void
read_caps(struct imap_conn *c)
{
	c->move = mailimap_has_extension(c->imap, "MOVE") != 0;
	c->uidplus = mailimap_has_uidplus(c->imap) != 0;
	c->idle = mailimap_has_idle(c->imap) != 0;
}

static int
login(struct imap_conn *c, const struct imap_settings *set,
      const char **error_r)
{
	struct mailimap_capability_data *caps = NULL;
	int r;

	if (set->user == NULL || set->password == NULL) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: no user or password", c->host);
		*error_r = connect_error;
		return -1;
	}
	if (mailimap_has_extension(c->imap, "LOGINDISABLED"))
		r = mailimap_authenticate(c->imap, "PLAIN", c->host, NULL, NULL,
					  set->user, set->user, set->password,
					  NULL);
	else
		r = mailimap_login(c->imap, set->user, set->password);
	if (r != MAILIMAP_NO_ERROR) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: login as %s failed: %s", c->host, set->user,
			 c->imap->imap_response != NULL ? c->imap->imap_response
							: "connection lost");
		*error_r = connect_error;
		return -1;
	}
	r = mailimap_capability(c->imap, &caps);
	if (r != MAILIMAP_NO_ERROR) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: CAPABILITY failed", c->host);
		*error_r = connect_error;
		return -1;
	}
	mailimap_capability_data_free(caps);
	read_caps(c);
	return 0;
}

int
imap_connect(const struct imap_settings *set, struct imap_conn **conn_r,
	     const char **error_r)
{
	struct imap_conn *c;
	mailstream *stream;
	long timeout = set->timeout > 0 ? set->timeout : 60;
	int port = set->port, fd, r;

	*conn_r = NULL;
	connect_error[0] = '\0';
	if (set->host == NULL || *set->host == '\0') {
		*error_r = "no host";
		return -1;
	}
	if (port == 0)
		port = set->tls == IMAP_TLS_IMPLICIT ? 993 : 143;
	if (set->tls == IMAP_TLS_NONE && !set->allow_plain) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: plain IMAP refused (tls = none needs "
			 "allow_plain = yes and a loopback host)",
			 set->host);
		*error_r = connect_error;
		return -1;
	}
	if ((fd = tcp_connect(set->host, port, timeout, error_r)) < 0)
		return -1;
	if (set->tls == IMAP_TLS_NONE && !fd_is_loopback(fd)) {
		close(fd);
		snprintf(connect_error, sizeof(connect_error),
			 "%s: plain IMAP is only allowed to a loopback "
			 "address",
			 set->host);
		*error_r = connect_error;
		return -1;
	}
	c = xcalloc(1, sizeof(*c));
	c->host = xstrdup(set->host);
	c->imap = mailimap_new(0, NULL);
	c->own_flag = xstrdup(IMAP_OWN_DELETE_FLAG);
	mailimap_set_timeout(c->imap, timeout);
	if (set->tls == IMAP_TLS_IMPLICIT)
		stream = mailstream_ssl_open_with_callback_timeout(
		    fd, timeout, tls_callback, c->host);
	else
		stream = mailstream_socket_open_timeout(fd, timeout);
	if (stream == NULL) {
		close(fd);
		snprintf(connect_error, sizeof(connect_error), "%s: %s failed",
			 set->host,
			 set->tls == IMAP_TLS_IMPLICIT ? "TLS handshake"
						       : "stream setup");
		goto fail;
	}
	guard_eof(stream);
	r = mailimap_connect(c->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		snprintf(connect_error, sizeof(connect_error),
			 "%s: no IMAP greeting (error %d)", set->host, r);
		goto fail;
	}
	if (set->tls == IMAP_TLS_IMPLICIT &&
	    tls_verify(c, set->ca_file, error_r) < 0)
		goto fail;
	if (set->tls == IMAP_TLS_STARTTLS) {
		struct mailimap_capability_data *caps = NULL;

		if (mailimap_capability(c->imap, &caps) == MAILIMAP_NO_ERROR)
			mailimap_capability_data_free(caps);
		if (!mailimap_has_extension(c->imap, "STARTTLS")) {
			snprintf(connect_error, sizeof(connect_error),
				 "%s: server does not offer STARTTLS",
				 set->host);
			goto fail;
		}
		r = mailimap_socket_starttls_with_callback(
		    c->imap, tls_callback, c->host);
		if (r != MAILIMAP_NO_ERROR) {
			snprintf(connect_error, sizeof(connect_error),
				 "%s: STARTTLS failed (error %d)", set->host,
				 r);
			goto fail;
		}
		guard_eof(c->imap->imap_stream);
		if (tls_verify(c, set->ca_file, error_r) < 0)
			goto fail;
		/* capabilities may differ after TLS (RFC 3501 6.2.1) */
		if (mailimap_capability(c->imap, &caps) == MAILIMAP_NO_ERROR)
			mailimap_capability_data_free(caps);
	}
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED ||
	    set->tls == IMAP_TLS_STARTTLS) {
		if (login(c, set, error_r) < 0)
			goto fail;
	}
	*conn_r = c;
	return 0;
fail:
	*error_r = connect_error;
	imap_abort(&c);
	return -1;
}

static void
conn_free(struct imap_conn *c)
{
	if (c->imap != NULL)
		mailimap_free(c->imap);
	strlist_free(&c->known);
	free(c->ns_prefix);
	free(c->own_flag);
	free(c->processed_flag);
	free(c->error);
	free(c->host);
	free(c);
}

void
imap_close(struct imap_conn **connp)
{
	struct imap_conn *c = *connp;

	if (c == NULL)
		return;
	if (!c->broken && c->imap->imap_stream != NULL)
		mailimap_logout(c->imap);
	conn_free(c);
	*connp = NULL;
}

void
imap_abort(struct imap_conn **connp)
{
	if (*connp == NULL)
		return;
	conn_free(*connp);
	*connp = NULL;
}

bool
imap_has_move(const struct imap_conn *c)
{
	return c->move;
}

bool
imap_has_uidplus(const struct imap_conn *c)
{
	return c->uidplus;
}

bool
imap_has_idle(const struct imap_conn *c)
{
	return c->idle;
}

/* ---- mailboxes ---- */

/* SELECT (read-write) or EXAMINE (read-only) mailbox; SELECT insists on
   a UIDVALIDITY, which the positions in the store depend on. */
static int
open_mailbox(struct imap_conn *c, const char *mailbox, bool readonly,
	     uint32_t *uidvalidity_r, uint32_t *uidnext_r, uint32_t *exists_r,
	     const char **error_r)
{
	const char *cmd = readonly ? "EXAMINE" : "SELECT";
	struct mailimap_selection_info *sel;
	int r;

	r = readonly ? mailimap_examine(c->imap, mailbox)
		     : mailimap_select(c->imap, mailbox);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, cmd, r, error_r);
	sel = c->imap->imap_selection_info;
	if (!readonly && (sel == NULL || sel->sel_uidvalidity == 0)) {
		free(c->error);
		c->error = xasprintf("%s: SELECT %s: no UIDVALIDITY", c->host,
				     mailbox);
		*error_r = c->error;
		return -1;
	}
	*uidvalidity_r = sel != NULL ? sel->sel_uidvalidity : 0;
	*uidnext_r = sel != NULL ? sel->sel_uidnext : 0;
	*exists_r = sel != NULL ? sel->sel_exists : 0;
	return 0;
}

int
imap_select(struct imap_conn *c, const char *mailbox, uint32_t *uidvalidity_r,
	    uint32_t *uidnext_r, uint32_t *exists_r, const char **error_r)
{
	return open_mailbox(c, mailbox, false, uidvalidity_r, uidnext_r,
			    exists_r, error_r);
}

int
imap_examine(struct imap_conn *c, const char *mailbox, uint32_t *uidvalidity_r,
	     uint32_t *uidnext_r, uint32_t *exists_r, const char **error_r)
{
	return open_mailbox(c, mailbox, true, uidvalidity_r, uidnext_r,
			    exists_r, error_r);
}

/* The personal namespace (RFC 2342): its prefix ("" or "INBOX.") and
   separator, from NAMESPACE when the server offers it, else the
   separator of LIST "" "" and no prefix. */
static int
get_separator(struct imap_conn *c, const char **error_r)
{
	clist *list = NULL;
	int r;

	if (c->have_sep)
		return 0;
	c->sep = '/';
	if (mailimap_has_namespace(c->imap)) {
		struct mailimap_namespace_data *ns = NULL;

		r = mailimap_namespace(c->imap, &ns);
		if (r != MAILIMAP_NO_ERROR)
			return conn_fail(c, "NAMESPACE", r, error_r);
		if (ns != NULL && ns->ns_personal != NULL &&
		    clist_begin(ns->ns_personal->ns_data_list) != NULL) {
			struct mailimap_namespace_info *info = clist_content(
			    clist_begin(ns->ns_personal->ns_data_list));

			c->ns_prefix = xstrdup(info->ns_prefix);
			if (info->ns_delimiter != '\0')
				c->sep = info->ns_delimiter;
			mailimap_namespace_data_free(ns);
			c->have_sep = true;
			return 0;
		}
		if (ns != NULL)
			mailimap_namespace_data_free(ns);
	}
	r = mailimap_list(c->imap, "", "", &list);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "LIST", r, error_r);
	if (list != NULL && clist_begin(list) != NULL) {
		struct mailimap_mailbox_list *mb =
		    clist_content(clist_begin(list));

		/* NIL separator: a flat namespace; keep '/' for joining,
		   harmless since such servers refuse hierarchy anyway */
		if (mb->mb_delimiter != '\0')
			c->sep = mb->mb_delimiter;
	}
	if (list != NULL)
		mailimap_list_result_free(list);
	c->ns_prefix = xstrdup("");
	c->have_sep = true;
	return 0;
}

int
imap_namespace(struct imap_conn *c, const char **prefix_r, char *sep_r,
	       const char **error_r)
{
	if (get_separator(c, error_r) < 0)
		return -1;
	*prefix_r = c->ns_prefix;
	*sep_r = c->sep;
	return 0;
}

int
imap_folder_name(struct imap_conn *c, const char *folder, char **name_r,
		 const char **error_r)
{
	struct str s = STR_INIT;
	const char *prefix;
	char *enc = NULL;

	if (get_separator(c, error_r) < 0)
		return -1;
	str_init(&s);
	for (const char *p = folder; *p != '\0'; p++) {
		if (*p == '.' || *p == '/') {
			/* collapse empty parts: "a..b" and "a/" */
			if (s.len > 0 && s.s[s.len - 1] != c->sep &&
			    p[1] != '\0')
				str_appendc(&s, c->sep);
		} else {
			str_appendc(&s, *p);
		}
	}
	if (s.len == 0 || strcasecmp(s.s, "INBOX") == 0) {
		str_free(&s);
		*name_r = xstrdup("INBOX");
		return 0;
	}
	if (imap_utf7_encode(str_c(&s), &enc, error_r) < 0) {
		free(c->error);
		c->error = xasprintf("folder name %s: %s", folder, *error_r);
		*error_r = c->error;
		str_free(&s);
		return -1;
	}
	str_free(&s);
	/* inside the personal namespace, unless the name already is:
	   "Support" -> "INBOX.Support", "INBOX.Support" stays */
	prefix = c->ns_prefix;
	if (*prefix != '\0' && strncasecmp(enc, prefix, strlen(prefix)) != 0) {
		*name_r = xasprintf("%s%s", prefix, enc);
		free(enc);
	} else {
		*name_r = enc;
	}
	return 0;
}

char *
imap_folder_display(const char *name)
{
	char *dec = NULL;
	const char *error;

	if (imap_utf7_decode(name, &dec, &error) < 0)
		return xstrdup(name); /* shown as the server spells it */
	return dec;
}

int
imap_list_folders(struct imap_conn *c, struct strlist *names,
		  const char **error_r)
{
	clist *list = NULL;
	int r;

	r = mailimap_list(c->imap, "", "*", &list);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "LIST", r, error_r);
	for (clistiter *it = list != NULL ? clist_begin(list) : NULL;
	     it != NULL; it = clist_next(it)) {
		struct mailimap_mailbox_list *mb = clist_content(it);

		if (mb->mb_name != NULL)
			strlist_add_owned(names,
					  imap_folder_display(mb->mb_name));
	}
	if (list != NULL)
		mailimap_list_result_free(list);
	return 0;
}

int
imap_ensure_mailbox(struct imap_conn *c, const char *mailbox,
		    const char **error_r)
{
	clist *list = NULL;
	bool exists;
	int r;

	if (strcasecmp(mailbox, "INBOX") == 0 ||
	    strlist_contains_case(&c->known, mailbox))
		return 0;
	r = mailimap_list(c->imap, "", mailbox, &list);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "LIST", r, error_r);
	exists = list != NULL && clist_begin(list) != NULL;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (!exists) {
		r = mailimap_create(c->imap, mailbox);
		if (r != MAILIMAP_NO_ERROR) {
			/* another client may have created it meanwhile */
			const char *resp = c->imap->imap_response;

			if (r != MAILIMAP_ERROR_CREATE || resp == NULL ||
			    strstr(resp, "ALREADYEXISTS") == NULL)
				return conn_fail(c, "CREATE", r, error_r);
		}
		mailimap_subscribe(c->imap, mailbox);
	}
	strlist_add(&c->known, mailbox);
	return 0;
}

int
imap_append(struct imap_conn *c, const char *mailbox, const char *data,
	    size_t len, const char **error_r)
{
	int r = mailimap_append(c->imap, mailbox, NULL, NULL, data, len);

	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "APPEND", r, error_r);
	return 0;
}

/* ---- UID sets, searching, fetching ---- */

void
imap_uids_add(struct imap_uids *u, uint32_t uid)
{
	if (u->n == u->cap) {
		u->cap = u->cap == 0 ? 64 : u->cap * 2;
		u->v = xreallocarray(u->v, u->cap, sizeof(*u->v));
	}
	u->v[u->n++] = uid;
}

void
imap_uids_free(struct imap_uids *u)
{
	xfree(u->v);
	u->n = u->cap = 0;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The UIDs as a set of ranges "1:5,7,9:12" (uids ascending). */
static struct mailimap_set *
uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j + 1 < n && uids[j + 1] == uids[j] + 1)
			j++;
		mailimap_set_add_interval(set, uids[i], uids[j]);
		i = j + 1;
	}
	return set;
}

int
imap_search_from(struct imap_conn *c, uint32_t first, const char *without_flag,
		 struct imap_uids *uids, const char **error_r)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	size_t start = uids->n;
	int r;

	if (first == 0)
		first = 1;
	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(
	    key,
	    mailimap_search_key_new_uid(mailimap_set_new_interval(first, 0)));
	if (without_flag != NULL)
		mailimap_search_key_multiple_add(
		    key,
		    mailimap_search_key_new_unkeyword(xstrdup(without_flag)));
	r = mailimap_uid_search(c->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID SEARCH", r, error_r);
	for (clistiter *it = clist_begin(result); it != NULL;
	     it = clist_next(it)) {
		uint32_t uid = *(uint32_t *)clist_content(it);

		/* "first:*" always matches the last message, even below
		   first */
		if (uid >= first)
			imap_uids_add(uids, uid);
	}
	mailimap_search_result_free(result);
	qsort(uids->v + start, uids->n - start, sizeof(*uids->v), cmp_uid);
	return 0;
}

static void
flag_name(const struct mailimap_flag *f, struct strlist *out)
{
	switch (f->fl_type) {
	case MAILIMAP_FLAG_ANSWERED:
		strlist_add(out, "\\Answered");
		break;
	case MAILIMAP_FLAG_FLAGGED:
		strlist_add(out, "\\Flagged");
		break;
	case MAILIMAP_FLAG_DELETED:
		strlist_add(out, "\\Deleted");
		break;
	case MAILIMAP_FLAG_SEEN:
		strlist_add(out, "\\Seen");
		break;
	case MAILIMAP_FLAG_DRAFT:
		strlist_add(out, "\\Draft");
		break;
	case MAILIMAP_FLAG_KEYWORD:
		if (f->fl_data.fl_keyword != NULL)
			strlist_add(out, f->fl_data.fl_keyword);
		break;
	case MAILIMAP_FLAG_EXTENSION:
		if (f->fl_data.fl_extension != NULL) {
			char *s = xasprintf("\\%s", f->fl_data.fl_extension);

			strlist_add_owned(out, s);
		}
		break;
	default:
		break;
	}
}

static int
cmp_msg(const void *a, const void *b)
{
	return cmp_uid(&((const struct imap_message *)a)->uid,
		       &((const struct imap_message *)b)->uid);
}

int
imap_fetch(struct imap_conn *c, const uint32_t *uids, size_t n,
	   struct imap_message **msgs_r, size_t *count_r, const char **error_r)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	struct imap_message *msgs;
	clist *result = NULL;
	size_t count = 0;
	int r;

	*msgs_r = NULL;
	*count_r = 0;
	if (n == 0)
		return 0;
	set = uid_set(uids, n);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_flags());
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(c->imap, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID FETCH", r, error_r);
	msgs = xcalloc(clist_count(result) + 1, sizeof(*msgs));
	for (clistiter *it = clist_begin(result); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);
		struct imap_message m;
		bool have_body = false;

		memset(&m, 0, sizeof(m));
		for (clistiter *ai = clist_begin(att->att_list); ai != NULL;
		     ai = clist_next(ai)) {
			struct mailimap_msg_att_item *item = clist_content(ai);

			if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
				clist *fl = item->att_data.att_dyn->att_list;

				for (clistiter *fi =
					 fl != NULL ? clist_begin(fl) : NULL;
				     fi != NULL; fi = clist_next(fi)) {
					struct mailimap_flag_fetch *ff =
					    clist_content(fi);

					if (ff->fl_type ==
						MAILIMAP_FLAG_FETCH_OTHER &&
					    ff->fl_flag != NULL)
						flag_name(ff->fl_flag,
							  &m.flags);
				}
				continue;
			}
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			struct mailimap_msg_att_static *st =
			    item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID) {
				m.uid = st->att_data.att_uid;
			} else if (st->att_type ==
				       MAILIMAP_MSG_ATT_BODY_SECTION &&
				   !have_body) {
				struct mailimap_msg_att_body_section *bs =
				    st->att_data.att_body_section;

				have_body = true;
				m.len = bs->sec_body_part != NULL
					    ? bs->sec_length
					    : 0;
				m.data = xmalloc(m.len + 1);
				if (m.len > 0)
					memcpy(m.data, bs->sec_body_part,
					       m.len);
				m.data[m.len] = '\0';
			}
		}
		/* an unsolicited FETCH (flag change) has no body: skip */
		if (m.uid == 0 || !have_body) {
			free(m.data);
			strlist_free(&m.flags);
			continue;
		}
		msgs[count++] = m;
	}
	mailimap_fetch_list_free(result);
	qsort(msgs, count, sizeof(*msgs), cmp_msg);
	*msgs_r = msgs;
	*count_r = count;
	return 0;
}

void
imap_messages_free(struct imap_message **msgsp, size_t count)
{
	struct imap_message *msgs = *msgsp;

	if (msgs == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(msgs[i].data);
		strlist_free(&msgs[i].flags);
	}
	free(msgs);
	*msgsp = NULL;
}

/* ---- changing messages ---- */

static struct mailimap_flag *
make_flag(const char *name)
{
	static const struct {
		const char *name;
		struct mailimap_flag *(*make)(void);
	} sys[] = {
	    {"\\Seen", mailimap_flag_new_seen},
	    {"\\Answered", mailimap_flag_new_answered},
	    {"\\Flagged", mailimap_flag_new_flagged},
	    {"\\Deleted", mailimap_flag_new_deleted},
	    {"\\Draft", mailimap_flag_new_draft},
	};

	for (size_t i = 0; i < N_ELEMENTS(sys); i++)
		if (strcasecmp(name, sys[i].name) == 0)
			return sys[i].make();
	return mailimap_flag_new_flag_keyword(xstrdup(name));
}

/* True for a flag a client may set: a system flag or an atom. */
static bool
flag_ok(const char *name)
{
	const char *p = name;

	if (*p == '\\')
		p++;
	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("(){%*\"\\]", *p) != NULL)
			return false;
	return true;
}

int
imap_add_flags(struct imap_conn *c, const uint32_t *uids, size_t n,
	       const char *const *flags, size_t nflags, const char **error_r)
{
	struct mailimap_flag_list *fl;
	struct mailimap_store_att_flags *sa;
	struct mailimap_set *set;
	size_t used = 0;
	int r;

	if (n == 0)
		return 0;
	fl = mailimap_flag_list_new_empty();
	for (size_t i = 0; i < nflags; i++) {
		if (!flag_ok(flags[i]))
			continue; /* a rule's odd flag is not worth a failure */
		mailimap_flag_list_add(fl, make_flag(flags[i]));
		used++;
	}
	if (used == 0) {
		mailimap_flag_list_free(fl);
		return 0;
	}
	sa = mailimap_store_att_flags_new_add_flags_silent(fl);
	set = uid_set(uids, n);
	r = mailimap_uid_store(c->imap, set, sa);
	mailimap_set_free(set);
	mailimap_store_att_flags_free(sa);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID STORE", r, error_r);
	return 0;
}

static int
delete_expunge(struct imap_conn *c, const uint32_t *uids, size_t n,
	       const char **error_r)
{
	const char *flags[3] = {"\\Deleted", NULL, NULL};
	struct mailimap_set *set;
	size_t nflags = 1;
	int r;

	/* the processed flag keeps a message that is not expunged yet from
	   being filed again (a crash, a rescan); without UIDPLUS the own
	   flag tells our \Deleted messages from other clients' */
	if (c->processed_flag != NULL)
		flags[nflags++] = c->processed_flag;
	if (!c->uidplus)
		flags[nflags++] = c->own_flag;
	if (imap_add_flags(c, uids, n, flags, nflags, error_r) < 0)
		return -1;
	if (!c->uidplus)
		return 0; /* the caller runs imap_expunge_own */
	set = uid_set(uids, n);
	r = mailimap_uid_expunge(c->imap, set);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID EXPUNGE", r, error_r);
	return 0;
}

void
imap_set_marks(struct imap_conn *c, const char *processed_flag,
	       const char *own_flag)
{
	free(c->processed_flag);
	free(c->own_flag);
	c->processed_flag =
	    processed_flag != NULL ? xstrdup(processed_flag) : NULL;
	c->own_flag = xstrdup(own_flag);
}

static struct mailimap_search_key *
key_deleted(void)
{
	return mailimap_search_key_new(
	    MAILIMAP_SEARCH_KEY_DELETED, NULL, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL,
	    NULL, NULL, NULL, 0, NULL, NULL, NULL);
}

/* UID SEARCH DELETED, with UNKEYWORD flag when not NULL: the count. */
static int
count_deleted(struct imap_conn *c, const char *without_flag, size_t *count_r,
	      const char **error_r)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	int r;

	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key, key_deleted());
	if (without_flag != NULL)
		mailimap_search_key_multiple_add(
		    key,
		    mailimap_search_key_new_unkeyword(xstrdup(without_flag)));
	r = mailimap_uid_search(c->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID SEARCH", r, error_r);
	*count_r = clist_count(result);
	mailimap_search_result_free(result);
	return 0;
}

int
imap_expunge_own(struct imap_conn *c, size_t *left_r, size_t *foreign_r,
		 const char **error_r)
{
	size_t deleted = 0, foreign = 0;
	int r;

	*left_r = *foreign_r = 0;
	if (c->uidplus)
		return 0;
	if (count_deleted(c, NULL, &deleted, error_r) < 0)
		return -1;
	if (deleted == 0)
		return 0;
	if (count_deleted(c, c->own_flag, &foreign, error_r) < 0)
		return -1;
	if (foreign > 0) {
		*left_r = deleted - foreign;
		*foreign_r = foreign;
		return 0;
	}
	r = mailimap_expunge(c->imap);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "EXPUNGE", r, error_r);
	return 1;
}

int
imap_move(struct imap_conn *c, const uint32_t *uids, size_t n,
	  const char *mailbox, const char **error_r)
{
	struct mailimap_set *set;
	int r;

	if (n == 0)
		return 0;
	set = uid_set(uids, n);
	if (c->move)
		r = mailimap_uid_move(c->imap, set, mailbox);
	else
		r = mailimap_uid_copy(c->imap, set, mailbox);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, c->move ? "UID MOVE" : "UID COPY", r,
				 error_r);
	if (c->move)
		return 0;
	return delete_expunge(c, uids, n, error_r);
}

int
imap_copy(struct imap_conn *c, const uint32_t *uids, size_t n,
	  const char *mailbox, const char **error_r)
{
	struct mailimap_set *set;
	int r;

	if (n == 0)
		return 0;
	set = uid_set(uids, n);
	r = mailimap_uid_copy(c->imap, set, mailbox);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "UID COPY", r, error_r);
	return 0;
}

int
imap_delete(struct imap_conn *c, const uint32_t *uids, size_t n,
	    const char **error_r)
{
	if (n == 0)
		return 0;
	return delete_expunge(c, uids, n, error_r);
}

/* ---- IDLE ---- */

int
imap_idle_start(struct imap_conn *c, const char **error_r)
{
	int r = mailimap_idle(c->imap);

	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "IDLE", r, error_r);
	return 0;
}

int
imap_idle_fd(struct imap_conn *c)
{
	return mailimap_idle_get_fd(c->imap);
}

bool
imap_idle_pending(const struct imap_conn *c)
{
	return c->imap->imap_stream != NULL &&
	       c->imap->imap_stream->read_buffer_len > 0;
}

int
imap_idle_done(struct imap_conn *c, const char **error_r)
{
	int r = mailimap_idle_done(c->imap);

	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "IDLE DONE", r, error_r);
	return 0;
}

int
imap_noop(struct imap_conn *c, const char **error_r)
{
	int r = mailimap_noop(c->imap);

	if (r != MAILIMAP_NO_ERROR)
		return conn_fail(c, "NOOP", r, error_r);
	return 0;
}
