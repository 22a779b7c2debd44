/*
 * transport-outbox.c - sending what the outbox holds: claim, submit,
 * mark; exponential backoff, give-up time, a bounded flush after each
 * delivery (in a child process that is killed when its time is up).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "transport-private.h"

/* A claim older than this is stale even if a process of that pid
   exists (pids are reused). */
#define STALE_CLAIM_SECONDS 3600

long
outbox_backoff(int attempts)
{
	long delay = 60;

	for (int i = 1; i < attempts && delay < 4 * 3600; i++)
		delay *= 2;
	return delay > 4 * 3600 ? 4 * 3600 : delay;
}

int
outbox_queue(struct store *store, const char *kind, const char *env_from,
	     const struct strlist *rcpts, const char *data, size_t len,
	     const char *message_id, int64_t issue, int64_t *id_r,
	     const char **error_r)
{
	struct store_outbox_item it;
	struct str r = STR_INIT;
	int ret;

	for (size_t i = 0; i < rcpts->n; i++) {
		if (i > 0)
			str_appendc(&r, ' ');
		str_append(&r, rcpts->v[i]);
	}
	memset(&it, 0, sizeof(it));
	it.kind = (char *)kind;
	it.env_from = (char *)(env_from != NULL ? env_from : "");
	it.rcpts = (char *)str_c(&r);
	it.data = (char *)data;
	it.len = len;
	it.message_id = (char *)message_id;
	it.issue = issue;
	it.created = clock_now();
	ret = store_outbox_add(store, &it, id_r, error_r);
	str_free(&r);
	return ret;
}

/* Puts back the claims of flushers that died. */
static int
requeue_stale(struct store *store, time_t now, const char **error_r)
{
	struct store_outbox_item *v;
	size_t n;

	if (store_outbox_list(store, "sending", &v, &n, error_r) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool dead = v[i].claim_pid <= 0 ||
			    (kill(v[i].claim_pid, 0) < 0 && errno == ESRCH) ||
			    v[i].claimed_at < now - STALE_CLAIM_SECONDS;

		if (dead && v[i].claim_pid != getpid()) {
			log_warnx("outbox: message %lld (%s) was being sent "
				  "by process %d, which is gone: queued "
				  "again",
				  (long long)v[i].id,
				  v[i].message_id ? v[i].message_id : "-",
				  v[i].claim_pid);
			if (store_outbox_requeue(store, v[i].id, error_r) < 0) {
				for (size_t j = 0; j < n; j++)
					store_outbox_item_free(&v[j]);
				free(v);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		store_outbox_item_free(&v[i]);
	free(v);
	return 0;
}

/* Marks a message sent, trying hard: a lost mark means a second copy. */
static int
mark_sent(struct store *store, int64_t id, const char **error_r)
{
	int r = -1;

	for (int i = 0; i < 5 && r < 0; i++) {
		r = store_outbox_mark_sent(store, id, clock_now(), error_r);
		if (r < 0)
			usleep(100000);
	}
	return r;
}

int
outbox_flush(struct store *store, const struct transport_settings *s,
	     long budget_ms, struct outbox_stats *stats, const char **error_r)
{
	uint64_t deadline =
	    budget_ms > 0 ? clock_monotonic_ms() + (uint64_t)budget_ms : 0;
	struct transport *t;
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (requeue_stale(store, clock_now(), error_r) < 0)
		return -1;
	t = transport_new(s);
	transport_set_deadline(t, deadline);
	for (;;) {
		struct store_outbox_item it;
		struct strlist rcpts = {0};
		enum transport_status st;
		char *reason = NULL;
		time_t now = clock_now();
		int r;

		if (deadline != 0 && clock_monotonic_ms() >= deadline) {
			stats->budget_spent = true;
			break;
		}
		r = store_outbox_claim(store, now, (int)getpid(), &it, error_r);
		if (r < 0) {
			ret = -1;
			break;
		}
		if (r == 0)
			break;
		strlist_split(&rcpts, it.rcpts, " ");
		st = transport_submit(t, it.env_from, &rcpts, it.data, it.len,
				      &reason);
		now = clock_now();
		if (st == TRANSPORT_SENT) {
			r = mark_sent(store, it.id, error_r);
			if (r < 0)
				log_warnx("outbox: message %lld was accepted "
					  "but cannot be marked sent: %s",
					  (long long)it.id, *error_r);
			else
				log_info("outbox: sent %s %lld <%s> to %s",
					 it.kind, (long long)it.id,
					 it.message_id ? it.message_id : "",
					 it.rcpts);
			stats->sent++;
		} else if (st == TRANSPORT_PERMFAIL ||
			   now - it.created >= s->give_up_after) {
			char *why =
			    st == TRANSPORT_PERMFAIL
				? xstrdup(reason)
				: xasprintf("gave up after %lds: %s",
					    (long)(now - it.created), reason);

			r = store_outbox_mark_failed(store, it.id, now, why,
						     error_r);
			log_warnx("outbox: %s %lld to %s failed: %s", it.kind,
				  (long long)it.id, it.rcpts, why);
			free(why);
			stats->failed++;
		} else {
			long delay = outbox_backoff(it.attempts + 1);

			r = store_outbox_mark_retry(store, it.id, now + delay,
						    reason, error_r);
			log_info("outbox: %s %lld to %s deferred for %lds: %s",
				 it.kind, (long long)it.id, it.rcpts, delay,
				 reason);
			stats->retry++;
		}
		/* a server that cannot even be reached will not take the
		   next message either: leave the rest for later */
		bool unreachable = st == TRANSPORT_TEMPFAIL && reason != NULL &&
				   strncmp(reason, "connect", 7) == 0;
		free(reason);
		strlist_free(&rcpts);
		store_outbox_item_free(&it);
		if (r < 0) {
			ret = -1;
			break;
		}
		if (unreachable)
			break;
	}
	transport_free(&t);
	if (ret == 0) {
		struct store_outbox_item *v;
		size_t n;

		if (store_outbox_list(store, "queued", &v, &n, error_r) < 0)
			return -1;
		stats->remaining = (int)n;
		for (size_t i = 0; i < n; i++)
			store_outbox_item_free(&v[i]);
		free(v);
	}
	return ret;
}

int
outbox_flush_bounded(const char *db_path, const struct transport_settings *s,
		     long budget_ms, struct outbox_stats *stats_r)
{
	uint64_t deadline = clock_monotonic_ms() + (uint64_t)budget_ms;
	int fds[2], status;
	pid_t pid;

	memset(stats_r, 0, sizeof(*stats_r));
	if (pipe(fds) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct store *store;
		struct outbox_stats st;
		const char *error;
		/* keep a margin for the last step to end inside the bound */
		long inner = budget_ms > 400 ? budget_ms - 200 : budget_ms;

		close(fds[0]);
		memset(&st, 0, sizeof(st));
		if (store_open(db_path, 1000, &store, &error) < 0) {
			log_warnx("outbox: %s", error);
			_exit(1);
		}
		if (outbox_flush(store, s, inner, &st, &error) < 0)
			log_warnx("outbox: %s", error);
		store_close(&store);
		if (write_full(fds[1], &st, sizeof(st)) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			break;
		if (clock_monotonic_ms() >= deadline) {
			/* the claim it holds is put back by a later flush */
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			close(fds[0]);
			stats_r->budget_spent = true;
			log_warnx("outbox: flush stopped after %ld ms; the "
				  "rest stays queued",
				  budget_ms);
			return 1;
		}
		usleep(2000);
	}
	{
		struct str buf = STR_INIT;

		if (read_full(fds[0], &buf) == 0 && buf.len == sizeof(*stats_r))
			memcpy(stats_r, buf.s, sizeof(*stats_r));
		str_free(&buf);
	}
	close(fds[0]);
	return 0;
}
