/*
 * transport.c - outgoing mail settings, the submission session, and
 * submission through sendmail(8).
 *
 * sendmail is run as "COMMAND -oi -f SENDER -- RCPT..." with the message
 * on its standard input: the recipients are always given explicitly
 * (never -t), because the envelope of a redirect or an acknowledgement
 * is not what the message's To: says. The null sender is passed as
 * "-f <>", which Postfix, Exim and Sendmail all take as MAIL FROM:<>.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "transport-private.h"

#define DEFAULT_SENDMAIL "/usr/sbin/sendmail"

static int
parse_int(const struct config *config, const char *key, long def, long *v_r,
	  char **error_r)
{
	if (config_get_long(config, "outbound", key, def, v_r) < 0) {
		*error_r = xasprintf("[outbound] %s: not a number", key);
		return -1;
	}
	return 0;
}

static int
parse_duration(const struct config *config, const char *key, long def,
	       long *v_r, char **error_r)
{
	if (config_get_duration(config, "outbound", key, def, v_r) < 0) {
		*error_r = xasprintf("[outbound] %s: not a duration", key);
		return -1;
	}
	return 0;
}

static char *
opt_dup(const struct config *config, const char *key)
{
	const char *v = config_get(config, "outbound", NULL, key);

	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

int
transport_settings_load(const struct config *config,
			struct transport_settings *s, char **error_r)
{
	const char *method = config_get(config, "outbound", NULL, "method");
	const char *tls = config_get(config, "outbound", NULL, "smtp_tls");
	const char *sm = config_get(config, "outbound", NULL, "sendmail");
	long port, budget;

	memset(s, 0, sizeof(*s));
	*error_r = NULL;
	if (method == NULL)
		s->method = access(DEFAULT_SENDMAIL, X_OK) == 0
				? TRANSPORT_SENDMAIL
				: TRANSPORT_SMTP;
	else if (strcmp(method, "sendmail") == 0)
		s->method = TRANSPORT_SENDMAIL;
	else if (strcmp(method, "smtp") == 0)
		s->method = TRANSPORT_SMTP;
	else {
		*error_r = xasprintf("[outbound] method: '%s' is neither "
				     "sendmail nor smtp",
				     method);
		return -1;
	}
	strlist_split(&s->sendmail, sm != NULL ? sm : DEFAULT_SENDMAIL, " \t");
	if (s->sendmail.n == 0)
		strlist_add(&s->sendmail, DEFAULT_SENDMAIL);
	if (tls == NULL || strcmp(tls, "none") == 0)
		s->tls = TRANSPORT_TLS_NONE;
	else if (strcmp(tls, "starttls") == 0)
		s->tls = TRANSPORT_TLS_STARTTLS;
	else if (strcmp(tls, "implicit") == 0)
		s->tls = TRANSPORT_TLS_IMPLICIT;
	else {
		*error_r = xasprintf("[outbound] smtp_tls: '%s' is not none, "
				     "starttls or implicit",
				     tls);
		goto fail;
	}
	s->host = opt_dup(config, "smtp_host");
	if (s->host == NULL)
		s->host = xstrdup("127.0.0.1");
	if (parse_int(config, "smtp_port",
		      s->tls == TRANSPORT_TLS_IMPLICIT ? 465 : 25, &port,
		      error_r) < 0)
		goto fail;
	if (port <= 0 || port > 65535) {
		*error_r = xasprintf("[outbound] smtp_port: %ld is out of "
				     "range",
				     port);
		goto fail;
	}
	s->port = (int)port;
	s->user = opt_dup(config, "smtp_user");
	s->password = opt_dup(config, "smtp_password");
	s->ca_file = opt_dup(config, "smtp_ca_file");
	s->helo = xstrdup(
	    config_get_default(config, "support", "hostname", "localhost"));
	if (parse_duration(config, "smtp_timeout", 30, &s->timeout, error_r) <
		0 ||
	    parse_duration(config, "flush_budget", 5, &budget, error_r) < 0 ||
	    parse_duration(config, "give_up_after", 5 * 86400,
			   &s->give_up_after, error_r) < 0)
		goto fail;
	if (s->timeout <= 0)
		s->timeout = 30;
	s->flush_budget_ms = budget * 1000;
	if (s->user != NULL && s->password == NULL)
		s->password = xstrdup("");
	return 0;
fail:
	transport_settings_free(s);
	return -1;
}

void
transport_settings_free(struct transport_settings *s)
{
	strlist_free(&s->sendmail);
	free(s->host);
	free(s->user);
	free(s->password);
	free(s->ca_file);
	free(s->helo);
	memset(s, 0, sizeof(*s));
}

const char *
transport_status_name(enum transport_status status)
{
	switch (status) {
	case TRANSPORT_SENT:
		return "sent";
	case TRANSPORT_TEMPFAIL:
		return "tempfail";
	case TRANSPORT_PERMFAIL:
		return "permfail";
	}
	return "?";
}

bool
transport_host_local(const struct transport_settings *s)
{
	return strcmp(s->host, "127.0.0.1") == 0 ||
	       strcmp(s->host, "localhost") == 0 || strcmp(s->host, "::1") == 0;
}

struct transport *
transport_new(const struct transport_settings *s)
{
	struct transport *t = xcalloc(1, sizeof(*t));
	struct sigaction sa;

	t->s = s;
	/* a server closing the connection must not kill us */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &t->old_pipe);
	return t;
}

void
transport_free(struct transport **tp)
{
	struct transport *t = *tp;

	if (t == NULL)
		return;
	transport_smtp_quit(t);
	sigaction(SIGPIPE, &t->old_pipe, NULL);
	free(t);
	*tp = NULL;
}

void
transport_set_deadline(struct transport *t, uint64_t deadline_ms)
{
	t->deadline_ms = deadline_ms;
}

void
transport_step_timeout(struct transport *t)
{
	long timeout = t->s->timeout;

	if (t->deadline_ms != 0) {
		uint64_t now = clock_monotonic_ms();
		/* whole seconds, rounded down: a step ends before the
		   deadline (at least one second, though) */
		long left = now >= t->deadline_ms
				? 1
				: (long)((t->deadline_ms - now) / 1000);

		if (left < timeout)
			timeout = left;
	}
	t->step_timeout = timeout < 1 ? 1 : timeout;
}

void
transport_rcpts_free(struct transport_rcpt *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].reason);
		v[i].reason = NULL;
	}
}

enum transport_status
transport_submit(struct transport *t, const char *env_from,
		 const struct strlist *rcpts, const char *data, size_t len,
		 struct transport_rcpt *rcpt_r, char **reason_r)
{
	struct transport_rcpt *res;
	enum transport_status st;

	*reason_r = NULL;
	if (rcpts->n == 0) {
		*reason_r = xstrdup("no recipients");
		return TRANSPORT_PERMFAIL;
	}
	res = xcalloc(rcpts->n, sizeof(*res));
	if (t->s->method == TRANSPORT_SMTP)
		st = transport_smtp_submit(t, env_from, rcpts, data, len, res,
					   reason_r);
	else
		st = transport_sendmail_submit(t, env_from, rcpts, data, len,
					       reason_r);
	/* a failure of the whole message is the answer of every recipient
	   that was not refused on its own */
	for (size_t i = 0; i < rcpts->n; i++)
		if (st != TRANSPORT_SENT && res[i].status == TRANSPORT_SENT) {
			free(res[i].reason);
			res[i].status = st;
			res[i].reason =
			    xstrdup(*reason_r != NULL ? *reason_r : "failed");
		}
	if (rcpt_r != NULL)
		memcpy(rcpt_r, res, rcpts->n * sizeof(*res));
	else
		transport_rcpts_free(res, rcpts->n);
	free(res);
	return st;
}

/* ---- sendmail(8) ---- */

/* Exit codes of sendmail that mean "try again later"; every other
   non-zero exit is a permanent refusal. */
static const int sendmail_temp_exits[] = {
    EX_TEMPFAIL,    EX_OSERR,	 EX_IOERR,  EX_CANTCREAT,
    EX_UNAVAILABLE, EX_SOFTWARE, EX_CONFIG, EX_OSFILE,
};

static bool
valid_address(const char *a)
{
	for (const char *p = a; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '(' || *p == ')' || *p == ',' || *p == ';' ||
		    *p == '"' || *p == '\\' || *p == 0x7f)
			return false;
	return *a != '-';
}

/* Waits for pid until deadline (monotonic ms); kills it after. Returns
   the wait status, or -1 when it had to be killed. */
static int
wait_deadline(pid_t pid, uint64_t deadline)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (clock_monotonic_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		usleep(5000);
	}
}

enum transport_status
transport_sendmail_submit(struct transport *t, const char *env_from,
			  const struct strlist *rcpts, const char *data,
			  size_t len, char **reason_r)
{
	const struct transport_settings *s = t->s;
	struct strlist argv = {0};
	struct str err = STR_INIT;
	int in[2], errp[2], status;
	size_t off = 0;
	uint64_t deadline;
	pid_t pid;
	enum transport_status st;

	if (*env_from != '\0' && !valid_address(env_from)) {
		*reason_r = xasprintf("bad envelope sender '%s'", env_from);
		return TRANSPORT_PERMFAIL;
	}
	for (size_t i = 0; i < rcpts->n; i++)
		if (!valid_address(rcpts->v[i])) {
			*reason_r =
			    xasprintf("bad recipient '%s'", rcpts->v[i]);
			return TRANSPORT_PERMFAIL;
		}
	for (size_t i = 0; i < s->sendmail.n; i++)
		strlist_add(&argv, s->sendmail.v[i]);
	strlist_add(&argv, "-oi");
	strlist_add(&argv, "-f");
	strlist_add(&argv, *env_from == '\0' ? "<>" : env_from);
	strlist_add(&argv, "--");
	for (size_t i = 0; i < rcpts->n; i++)
		strlist_add(&argv, rcpts->v[i]);

	if (pipe2(in, O_CLOEXEC) < 0) {
		*reason_r = xasprintf("pipe: %s", strerror(errno));
		strlist_free(&argv);
		return TRANSPORT_TEMPFAIL;
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		*reason_r = xasprintf("pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		strlist_free(&argv);
		return TRANSPORT_TEMPFAIL;
	}
	transport_step_timeout(t);
	deadline = clock_monotonic_ms() + (uint64_t)t->step_timeout * 1000;
	if ((pid = fork()) < 0) {
		*reason_r = xasprintf("fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(errp[0]);
		close(errp[1]);
		strlist_free(&argv);
		return TRANSPORT_TEMPFAIL;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		dup2(devnull >= 0 ? devnull : errp[1], 1);
		dup2(errp[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execv(argv.v[0], argv.v);
		_exit(EX_OSFILE);
	}
	close(in[0]);
	close(errp[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	/* feed the message and collect stderr, both bounded by deadline */
	while (in[1] >= 0 || errp[0] >= 0) {
		struct pollfd pfd[2];
		int nfd = 0, wi = -1, ei = -1, left;
		uint64_t now = clock_monotonic_ms();

		if (now >= deadline)
			break;
		left = (int)(deadline - now);
		if (in[1] >= 0) {
			pfd[nfd].fd = in[1];
			pfd[nfd].events = POLLOUT;
			wi = nfd++;
		}
		if (errp[0] >= 0) {
			pfd[nfd].fd = errp[0];
			pfd[nfd].events = POLLIN;
			ei = nfd++;
		}
		if (poll(pfd, (nfds_t)nfd, left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (wi >= 0 && pfd[wi].revents != 0) {
			ssize_t n =
			    off < len ? write(in[1], data + off, len - off) : 0;

			if (n > 0)
				off += (size_t)n;
			if (off >= len ||
			    (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (ei >= 0 && pfd[ei].revents != 0) {
			char buf[512];
			ssize_t n = read(errp[0], buf, sizeof(buf));

			if (n > 0 && err.len < 4096)
				str_append_n(&err, buf, (size_t)n);
			else if (n == 0 ||
				 (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(errp[0]);
				errp[0] = -1;
			}
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	status = wait_deadline(pid, deadline);
	strlist_free(&argv);
	while (err.len > 0 &&
	       (err.s[err.len - 1] == '\n' || err.s[err.len - 1] == '\r'))
		str_truncate(&err, err.len - 1);
	if (status < 0) {
		*reason_r = xasprintf("sendmail: no answer within %lds",
				      t->step_timeout);
		st = TRANSPORT_TEMPFAIL;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (off < len) {
			*reason_r = xstrdup("sendmail exited before reading "
					    "the message");
			st = TRANSPORT_TEMPFAIL;
		} else
			st = TRANSPORT_SENT;
	} else if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		st = TRANSPORT_PERMFAIL;
		for (size_t i = 0; i < N_ELEMENTS(sendmail_temp_exits); i++)
			if (code == sendmail_temp_exits[i])
				st = TRANSPORT_TEMPFAIL;
		*reason_r =
		    xasprintf("sendmail exited with %d: %s", code, str_c(&err));
	} else {
		*reason_r =
		    xasprintf("sendmail killed by signal %d", WTERMSIG(status));
		st = TRANSPORT_TEMPFAIL;
	}
	str_free(&err);
	return st;
}
