/*
 * pipe.c - running a command with the message on its standard input:
 * without a shell unless the command needs one, in its own process
 * group, with a timeout that kills the whole group.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deliver-private.h"
#include "msg.h"

extern char **environ;

/* Characters that only a shell understands. Quotes are not among them:
   pipe_split handles '...' and "..." itself. */
static const char pipe_shell_metas[] = "|&;<>()$`\\*?[]{}~#!\n";

/* Seconds between SIGTERM and SIGKILL for a command that timed out. */
#define PIPE_KILL_GRACE_MS 1000
#define PIPE_WRITE_CHUNK   65536

bool
pipe_needs_shell(const char *command)
{
	const char *p;

	if (strpbrk(command, pipe_shell_metas) != NULL)
		return true;
	/* "VAR=value cmd" is an assignment only a shell performs */
	p = command + strspn(command, " \t");
	for (; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		if (*p == '=')
			return true;
	return false;
}

int
pipe_split(const char *command, struct strlist *argv, const char **error_r)
{
	const char *p = command;
	struct str word = STR_INIT;

	for (;;) {
		bool have = false;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		str_truncate(&word, 0);
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n') {
			have = true;
			if (*p == '\'') {
				const char *q = strchr(p + 1, '\'');

				if (q == NULL)
					goto unterminated;
				str_append_n(&word, p + 1, (size_t)(q - p - 1));
				p = q + 1;
			} else if (*p == '"') {
				for (p++; *p != '"'; p++) {
					if (*p == '\0')
						goto unterminated;
					if (*p == '\\' &&
					    strchr("\"\\$`", p[1]) != NULL &&
					    p[1] != '\0')
						p++;
					str_appendc(&word, *p);
				}
				p++;
			} else if (*p == '\\' && p[1] != '\0') {
				str_appendc(&word, p[1]);
				p += 2;
			} else {
				str_appendc(&word, *p++);
			}
		}
		if (have)
			strlist_add(argv, str_c(&word));
	}
	str_free(&word);
	if (argv->n == 0) {
		*error_r = "empty command";
		return -1;
	}
	return 0;
unterminated:
	str_free(&word);
	*error_r =
	    deliver_error(false, "unterminated quote in command: %s", command);
	return -1;
}

static void
pipe_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	(void)nanosleep(&ts, NULL);
}

/* In the child: becomes its own process group, takes the pipe as stdin,
   restores default signal handling and runs the command. Only
   async-signal-safe calls. */
static void ATTR_NORETURN
pipe_child(int in_fd, int err_fd, char *const *argv, char *const *envp)
{
	struct sigaction sa;
	sigset_t none;
	int e;

	(void)setpgid(0, 0);
	if (in_fd != STDIN_FILENO) {
		if (dup2(in_fd, STDIN_FILENO) < 0)
			goto fail;
		(void)close(in_fd);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
	(void)sigaction(SIGXFSZ, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)execvpe(argv[0], argv, envp);
fail:
	e = errno;
	(void)write(err_fd, &e, sizeof(e));
	_exit(127);
}

/* Writes data to fd (non-blocking) until done, the reader goes away
   (EPIPE: not an error, the command need not read everything) or the
   deadline passes. Returns 0, 1 on timeout, -1 on error. */
static int
pipe_feed(int fd, const char *data, size_t len, uint64_t deadline,
	  const char **error_r)
{
	while (len > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		ssize_t n;
		int wait_ms = -1;

		if (deadline != 0) {
			uint64_t now = clock_monotonic_ms();

			if (now >= deadline)
				return 1;
			wait_ms = (int)(deadline - now);
		}
		if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
			*error_r = deliver_error(true, "poll");
			return -1;
		}
		n = write(fd, data,
			  len < PIPE_WRITE_CHUNK ? len : PIPE_WRITE_CHUNK);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == EPIPE)
				return 0;
			*error_r = deliver_error(true, "write to command");
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Waits for pid until the deadline (0: none). Returns 0 with *wstatus_r
   set, 1 on timeout. */
static int
pipe_wait(pid_t pid, uint64_t deadline, int *wstatus_r)
{
	long ms = 1;

	for (;;) {
		pid_t r = waitpid(pid, wstatus_r, deadline != 0 ? WNOHANG : 0);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			*wstatus_r = 0;
			return 0; /* ECHILD: reaped elsewhere; treat as 0 */
		}
		if (deadline != 0 && clock_monotonic_ms() >= deadline)
			return 1;
		if (r == 0) {
			pipe_sleep_ms(ms);
			if (ms < 20)
				ms *= 2;
		}
	}
}

/* Kills the process group of pid: TERM, a grace period, then KILL. */
static void
pipe_kill(pid_t pid, int *wstatus_r)
{
	(void)kill(-pid, SIGTERM);
	(void)kill(pid, SIGTERM);
	if (pipe_wait(pid, clock_monotonic_ms() + PIPE_KILL_GRACE_MS,
		      wstatus_r) == 0) {
		(void)kill(-pid, SIGKILL); /* stragglers in the group */
		return;
	}
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	(void)pipe_wait(pid, 0, wstatus_r);
}

static int
pipe_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int
pipe_run_data(const char *command, bool shell, const char *data, size_t len,
	      long timeout, char *const *envp, int *status_r,
	      const char **error_r)
{
	struct strlist argv = {NULL, 0, 0};
	struct sigaction ign, old_pipe;
	int in[2] = {-1, -1}, err[2] = {-1, -1};
	uint64_t deadline = 0;
	int wstatus = 0, child_errno = 0, r = -1, fed;
	pid_t pid;
	ssize_t n;

	*status_r = -1;
	if (shell) {
		strlist_add(&argv, "/bin/sh");
		strlist_add(&argv, "-c");
		strlist_add(&argv, command);
	} else if (pipe_split(command, &argv, error_r) < 0) {
		strlist_free(&argv);
		return -1;
	}
	if (envp == NULL)
		envp = environ;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		*error_r = deliver_error(true, "pipe");
		goto out;
	}
	if (timeout > 0)
		deadline = clock_monotonic_ms() + (uint64_t)timeout * 1000;

	pid = fork();
	if (pid < 0) {
		*error_r = deliver_error(true, "fork");
		goto out;
	}
	if (pid == 0)
		pipe_child(in[0], err[1], argv.v, envp);
	(void)setpgid(pid, pid); /* both sides: no race with kill(-pid) */
	(void)close(in[0]);
	(void)close(err[1]);
	in[0] = err[1] = -1;

	/* the error pipe closes on a successful exec, or carries errno */
	do
		n = read(err[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		(void)pipe_wait(pid, 0, &wstatus);
		errno = child_errno;
		*error_r = deliver_error(true, "cannot run %s", argv.v[0]);
		goto out;
	}

	/* a command that stops reading must give EPIPE, not kill us */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	(void)sigaction(SIGPIPE, &ign, &old_pipe);
	(void)fcntl(in[1], F_SETFL, O_NONBLOCK);
	fed = pipe_feed(in[1], data, len, deadline, error_r);
	(void)sigaction(SIGPIPE, &old_pipe, NULL);
	(void)close(in[1]);
	in[1] = -1;

	if (fed == 0 && pipe_wait(pid, deadline, &wstatus) == 0) {
		*status_r = pipe_status(wstatus);
		r = 0;
		goto out;
	}
	pipe_kill(pid, &wstatus);
	*status_r = pipe_status(wstatus);
	if (fed >= 0) {
		errno = ETIMEDOUT;
		*error_r = deliver_error(false,
					 "command timed out after %ld "
					 "seconds: %s",
					 timeout, command);
	}
out : {
	int e = errno;

	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			(void)close(in[i]);
		if (err[i] >= 0)
			(void)close(err[i]);
	}
	strlist_free(&argv);
	errno = e;
}
	return r;
}

int
pipe_run(const char *command, bool shell, const struct msg *msg, long timeout,
	 char *const *envp, int *status_r, const char **error_r)
{
	const char *data;
	size_t len;

	/* like procmail: the command sees the message as it arrived,
	   with its From_ line */
	data = msg_raw(msg, &len);
	return pipe_run_data(command, shell, data, len, timeout, envp, status_r,
			     error_r);
}
