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

/* What one attempt at a message came to. */
struct attempt {
	struct strlist pending;	    /* recipients still to be sent */
	struct transport_rcpt *res; /* their answers, pending.n */
	size_t sent_before;	    /* accepted in earlier attempts */
	struct str failed_before;   /* "rcpt: reason; ..." refused earlier */
	bool gave_up;
};

/* Writes the outcome of an attempt: the final answer of each recipient
   (accepted, refused for good, or - past give_up_after - given up),
   then the message: sent when someone took it and nobody is left,
   failed when nobody took it, queued again for the recipients that got
   a temporary answer. One transaction, retried: a lost mark means a
   second copy. Returns the row's new state as a transport status
   (SENT, PERMFAIL: failed, TEMPFAIL: queued again) or -1. */
static int
record_attempt(struct store *store, const struct store_outbox_item *it,
	       struct attempt *a, enum transport_status st, const char *reason,
	       time_t now, long give_up_after, const char **error_r)
{
	int r = -1, outcome = -1;

	a->gave_up = now - it->created >= give_up_after;
	for (int tries = 0; tries < 5 && r < 0; tries++) {
		struct str refused = STR_INIT, left = STR_INIT, to = STR_INIT;
		size_t sent = a->sent_before, failed = 0, temp = 0;
		char *why = NULL;

		if (tries > 0)
			usleep(100000);
		if (store_begin(store, error_r) < 0)
			continue;
		r = 0;
		str_append(&refused, str_c(&a->failed_before));
		for (size_t i = 0; i < a->pending.n && r == 0; i++) {
			const struct transport_rcpt *x = &a->res[i];
			const char *rc = a->pending.v[i];
			char *gave = NULL;

			if (x->status == TRANSPORT_SENT) {
				sent++;
				str_printf(&to, "%s%s", to.len ? " " : "", rc);
				/* only a message with several recipients
				   needs to remember who has it */
				if (a->pending.n + a->sent_before > 1)
					r = store_outbox_rcpt_mark(
					    store, it->id, rc, "sent", now,
					    NULL, error_r);
				continue;
			}
			if (x->status == TRANSPORT_TEMPFAIL && !a->gave_up) {
				const char *why1 =
				    x->reason != NULL ? x->reason : rc;

				temp++;
				/* a failure of the whole message is the
				   same reason for all: once */
				if (strstr(str_c(&left), why1) == NULL)
					str_printf(&left, "%s%s",
						   left.len ? "; " : "", why1);
				continue;
			}
			if (x->status == TRANSPORT_TEMPFAIL)
				gave = xasprintf("gave up after %lds: %s",
						 (long)(now - it->created),
						 x->reason != NULL ? x->reason
								   : "");
			failed++;
			str_printf(&refused, "%s%s: %s",
				   refused.len ? "; " : "", rc,
				   gave != NULL	       ? gave
				   : x->reason != NULL ? x->reason
						       : "refused");
			r = store_outbox_rcpt_mark(
			    store, it->id, rc, "failed", now,
			    gave != NULL ? gave : x->reason, error_r);
			free(gave);
		}
		if (r == 0 && temp > 0) {
			outcome = TRANSPORT_TEMPFAIL;
			why = refused.len > 0
				  ? xasprintf("%s; refused: %s", str_c(&left),
					      str_c(&refused))
				  : xstrdup(str_c(&left));
			r = store_outbox_mark_retry(
			    store, it->id,
			    now + outbox_backoff(it->attempts + 1), why,
			    error_r);
		} else if (r == 0 && sent > 0) {
			outcome = TRANSPORT_SENT;
			if (refused.len > 0)
				why = xasprintf("refused: %s", str_c(&refused));
			r = store_outbox_mark_sent(store, it->id, now, why,
						   error_r);
		} else if (r == 0) {
			outcome = TRANSPORT_PERMFAIL;
			why =
			    a->pending.n + a->sent_before > 1
				? xstrdup(str_c(&refused))
			    : st == TRANSPORT_TEMPFAIL
				? xasprintf("gave up after %lds: %s",
					    (long)(now - it->created),
					    reason != NULL ? reason : "")
				: xstrdup(reason != NULL ? reason : "refused");
			r = store_outbox_mark_failed(store, it->id, now, why,
						     error_r);
		}
		if (r == 0 && store_commit(store, error_r) < 0)
			r = -1;
		if (r < 0)
			store_rollback(store);
		else if (outcome == TRANSPORT_TEMPFAIL)
			log_info("outbox: %s %lld deferred for %lds: %s",
				 it->kind, (long long)it->id,
				 outbox_backoff(it->attempts + 1), why);
		else if (outcome == TRANSPORT_PERMFAIL)
			log_warnx("outbox: %s %lld to %s failed: %s", it->kind,
				  (long long)it->id, it->rcpts, why);
		else if (why != NULL)
			log_warnx("outbox: %s %lld <%s> sent to %s, but %s",
				  it->kind, (long long)it->id,
				  it->message_id ? it->message_id : "",
				  str_c(&to), why);
		else
			log_info("outbox: sent %s %lld <%s> to %s", it->kind,
				 (long long)it->id,
				 it->message_id ? it->message_id : "",
				 str_c(&to));
		free(why);
		str_free(&refused);
		str_free(&left);
		str_free(&to);
	}
	return r < 0 ? -1 : outcome;
}

/* The recipients of it still to be sent: those without a final answer
   from an earlier attempt. */
static int
pending_rcpts(struct store *store, const struct store_outbox_item *it,
	      struct attempt *a, const char **error_r)
{
	struct store_outbox_rcpt *done;
	struct strlist all = {0};
	size_t n;

	if (store_outbox_rcpts(store, it->id, &done, &n, error_r) < 0)
		return -1;
	strlist_split(&all, it->rcpts, " ");
	for (size_t i = 0; i < all.n; i++) {
		bool have = false;

		for (size_t j = 0; j < n && !have; j++)
			have = strcmp(done[j].rcpt, all.v[i]) == 0;
		if (!have)
			strlist_add(&a->pending, all.v[i]);
	}
	for (size_t j = 0; j < n; j++)
		if (strcmp(done[j].state, "sent") == 0)
			a->sent_before++;
		else
			str_printf(
			    &a->failed_before, "%s%s: %s",
			    a->failed_before.len ? "; " : "", done[j].rcpt,
			    done[j].error != NULL ? done[j].error : "refused");
	strlist_free(&all);
	store_outbox_rcpts_free(done, n);
	return 0;
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
		struct attempt a;
		enum transport_status st = TRANSPORT_SENT;
		char *reason = NULL;
		time_t now = clock_now();
		int r;

		/* a message is only started with half a second left */
		if (deadline != 0 && clock_monotonic_ms() + 500 > deadline) {
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
		memset(&a, 0, sizeof(a));
		if (pending_rcpts(store, &it, &a, error_r) < 0) {
			strlist_free(&a.pending);
			str_free(&a.failed_before);
			store_outbox_item_free(&it);
			ret = -1;
			break;
		}
		a.res = xcalloc(a.pending.n + 1, sizeof(*a.res));
		/* (a message whose recipients all have their answer - its
		   flusher died before the last mark - is only marked) */
		if (a.pending.n > 0)
			st = transport_submit(t, it.env_from, &a.pending,
					      it.data, it.len, a.res, &reason);
		now = clock_now();
		r = record_attempt(store, &it, &a, st, reason, now,
				   s->give_up_after, error_r);
		if (r == TRANSPORT_SENT)
			stats->sent++;
		else if (r == TRANSPORT_PERMFAIL)
			stats->failed++;
		else if (r == TRANSPORT_TEMPFAIL)
			stats->retry++;
		else if (st == TRANSPORT_SENT)
			log_warnx("outbox: message %lld was accepted but "
				  "cannot be marked sent: %s",
				  (long long)it.id, *error_r);
		/* a server that cannot even be reached will not take the
		   next message either: leave the rest for later */
		bool unreachable = st == TRANSPORT_TEMPFAIL && reason != NULL &&
				   strncmp(reason, "connect", 7) == 0;
		free(reason);
		transport_rcpts_free(a.res, a.pending.n);
		free(a.res);
		strlist_free(&a.pending);
		str_free(&a.failed_before);
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
		/* the child stops by itself a second before the parent's
		   kill (steps time out in whole seconds), so the kill only
		   ever hits a server that trickles its answers */
		long inner =
		    budget_ms >= 3000 ? budget_ms - 1000 : budget_ms * 2 / 3;

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
