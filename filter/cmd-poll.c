/*
 * cmd-poll.c - ackmail poll: fetch new mail from IMAP mailboxes, run
 * every message through the same pipeline as ackmail deliver, and file
 * the result back on the server.
 *
 * Nothing lost, nothing twice:
 *   - per message: the rules run and their records are committed in the
 *     store together with an imap_processed row keyed by Message-ID;
 *     only then is the message moved / flagged on the server;
 *   - a message fetched again (crash, dropped connection, UIDVALIDITY
 *     change, a second copy) finds its row and is filed the same way
 *     without running the rules again: no second acknowledgement;
 *   - last_uid only advances over messages that were filed on the
 *     server; a UIDVALIDITY change resets it (rescan; the rows and the
 *     processed flag keep the rescan from doing anything twice).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <gnutls/crypto.h>

#include "util.h"
#include "msg.h"
#include "engine.h"
#include "actions.h"
#include "store.h"
#include "transport.h"
#include "commands.h"
#include "config-find.h"
#include "pipeline.h"
#include "notices-cli.h"
#include "support.h"

#define DEFAULT_PROCESSED_FLAG	 "$AckmailProcessed"
#define IDLE_MAX_SECONDS	 (25 * 60) /* RFC 2177: re-issue < 29 min */
#define BACKOFF_MAX_SECONDS	 300
#define ESCALATE_EVERY_SECONDS	 300
#define IDLE_CONNECTIONS_DEFAULT 5

enum processed_mode { PROCESSED_MOVE, PROCESSED_FLAG, PROCESSED_LEAVE };

struct account {
	char *name;
	struct imap_settings set;
	char *password; /* owned: from password_command */
	struct strlist mailboxes;
	enum processed_mode mode;
	const char *processed_flag;
	const char *local_maildir;
	long interval;
	long batch;
	long idle_connections; /* at most this many for poll --idle */
};

struct poll_stats {
	unsigned long processed, repeated, skipped, failed;
};

static volatile sig_atomic_t stop_requested;
static int poll_verbose;
static int stop_pipe[2] = {-1, -1};

static void
on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	stop_requested = 1;
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "x", 1) < 0) {
		/* the flag alone is enough */
	}
	errno = saved;
}

/* ---- configuration ---- */

static const char *
acc_get(const struct config *cfg, const char *name, const char *key)
{
	return config_get(cfg, "imap", name, key);
}

static int
parse_bool(const char *v, bool *b_r)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*b_r = true;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
		 strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*b_r = false;
	else
		return -1;
	return 0;
}

/* Runs the password command and takes the first line of its output. */
static int
password_from_command(const char *command, char **password_r, struct str *error)
{
	struct str out = STR_INIT;
	FILE *fp;
	int status;
	char *nl;

	str_init(&out);
	fp = popen(command, "r");
	if (fp == NULL) {
		str_printf(error, "password_command: %s", strerror(errno));
		return -1;
	}
	read_full(fileno(fp), &out);
	status = pclose(fp);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		str_printf(error, "password_command failed (status %d)",
			   status == -1 ? -1 : WEXITSTATUS(status));
		str_free(&out);
		return -1;
	}
	if ((nl = strpbrk(out.s, "\r\n")) != NULL)
		*nl = '\0';
	if (*out.s == '\0') {
		str_append(error, "password_command printed nothing");
		str_free(&out);
		return -1;
	}
	*password_r = str_steal(&out);
	return 0;
}

static void
account_free(struct account *acc)
{
	if (acc->password != NULL)
		memset(acc->password, 0, strlen(acc->password));
	free(acc->password);
	free(acc->name);
	strlist_free(&acc->mailboxes);
	memset(acc, 0, sizeof(*acc));
}

/* Reads [imap "name"]. Returns 0, or -1 with the reason in error. */
static int
account_load(const struct config *cfg, const char *name, struct account *acc,
	     struct str *error)
{
	const char *v, *path;
	long n;

	memset(acc, 0, sizeof(*acc));
	acc->name = xstrdup(name);
	acc->set.host = acc_get(cfg, name, "host");
	if (acc->set.host == NULL) {
		str_printf(error, "[imap \"%s\"]: no host", name);
		return -1;
	}
	acc->set.tls = IMAP_TLS_IMPLICIT;
	if ((v = acc_get(cfg, name, "tls")) != NULL) {
		if (strcmp(v, "implicit") == 0)
			acc->set.tls = IMAP_TLS_IMPLICIT;
		else if (strcmp(v, "starttls") == 0)
			acc->set.tls = IMAP_TLS_STARTTLS;
		else if (strcmp(v, "none") == 0)
			acc->set.tls = IMAP_TLS_NONE;
		else {
			str_printf(error,
				   "[imap \"%s\"]: tls = %s: want "
				   "implicit, starttls or none",
				   name, v);
			return -1;
		}
	}
	if ((v = acc_get(cfg, name, "port")) != NULL) {
		n = strtol(v, NULL, 10);
		if (n <= 0 || n > 65535) {
			str_printf(error, "[imap \"%s\"]: bad port %s", name,
				   v);
			return -1;
		}
		acc->set.port = (int)n;
	}
	acc->set.ca_file = acc_get(cfg, name, "ca_file");
	if ((v = acc_get(cfg, name, "allow_plain")) != NULL &&
	    parse_bool(v, &acc->set.allow_plain) < 0) {
		str_printf(error,
			   "[imap \"%s\"]: allow_plain = %s: want yes "
			   "or no",
			   name, v);
		return -1;
	}
	acc->set.user = acc_get(cfg, name, "user");
	if (acc->set.user == NULL) {
		str_printf(error, "[imap \"%s\"]: no user", name);
		return -1;
	}
	if ((v = acc_get(cfg, name, "password")) != NULL) {
		struct stat st;

		path = config_path(cfg);
		if (path == NULL || stat(path, &st) < 0 ||
		    (st.st_mode & 077) != 0) {
			str_printf(error,
				   "[imap \"%s\"]: a password in %s needs the "
				   "file to be mode 0600 (or use "
				   "password_command)",
				   name, path != NULL ? path : "(none)");
			return -1;
		}
		acc->set.password = v;
	} else if ((v = acc_get(cfg, name, "password_command")) != NULL) {
		if (password_from_command(v, &acc->password, error) < 0) {
			str_printf(error, " for [imap \"%s\"]", name);
			return -1;
		}
		acc->set.password = acc->password;
	} else {
		str_printf(error,
			   "[imap \"%s\"]: no password or "
			   "password_command",
			   name);
		return -1;
	}
	strlist_split(&acc->mailboxes,
		      (v = acc_get(cfg, name, "mailbox")) != NULL ? v : "INBOX",
		      " ,");
	if (acc->mailboxes.n == 0)
		strlist_add(&acc->mailboxes, "INBOX");
	acc->mode = PROCESSED_MOVE;
	if ((v = acc_get(cfg, name, "processed")) != NULL) {
		if (strcmp(v, "move") == 0)
			acc->mode = PROCESSED_MOVE;
		else if (strcmp(v, "flag") == 0)
			acc->mode = PROCESSED_FLAG;
		else if (strcmp(v, "leave") == 0)
			acc->mode = PROCESSED_LEAVE;
		else {
			str_printf(error,
				   "[imap \"%s\"]: processed = %s: "
				   "want move, flag or leave",
				   name, v);
			return -1;
		}
	}
	acc->processed_flag = acc_get(cfg, name, "processed_flag");
	if (acc->processed_flag == NULL)
		acc->processed_flag = DEFAULT_PROCESSED_FLAG;
	acc->local_maildir = acc_get(cfg, name, "local_maildir");
	acc->interval = 60;
	if ((v = acc_get(cfg, name, "interval")) != NULL &&
	    (clock_parse_duration(v, &acc->interval) < 0 ||
	     acc->interval <= 0)) {
		str_printf(error, "[imap \"%s\"]: bad interval %s", name, v);
		return -1;
	}
	acc->idle_connections = IDLE_CONNECTIONS_DEFAULT;
	if ((v = acc_get(cfg, name, "idle_connections")) != NULL) {
		acc->idle_connections = strtol(v, NULL, 10);
		if (acc->idle_connections < 1 || acc->idle_connections > 100) {
			str_printf(error,
				   "[imap \"%s\"]: bad idle_connections %s",
				   name, v);
			return -1;
		}
	}
	acc->batch = 50;
	if ((v = acc_get(cfg, name, "batch")) != NULL) {
		acc->batch = strtol(v, NULL, 10);
		if (acc->batch <= 0 || acc->batch > 10000) {
			str_printf(error, "[imap \"%s\"]: bad batch %s", name,
				   v);
			return -1;
		}
	}
	return 0;
}

/* The names of the [imap "..."] sections, in file order. */
static void
account_names(const struct config *cfg, struct strlist *names)
{
	const struct config_entry *e;
	size_t it = 0;

	while (config_next(cfg, &it, &e) > 0) {
		if (strcmp(e->section, "imap") != 0 || e->subsection == NULL)
			continue;
		bool seen = false;

		for (size_t i = 0; i < names->n; i++)
			if (strcmp(names->v[i], e->subsection) == 0)
				seen = true;
		if (!seen)
			strlist_add(names, e->subsection);
	}
}

/* ---- one mailbox ---- */

/* The idempotence key: the Message-ID, else a digest of the bytes. */
static char *
message_key(struct msg *msg, const struct imap_message *m)
{
	const char *id = msg_message_id(msg);
	unsigned char digest[32];
	char hex[65];

	if (id != NULL && *id != '\0')
		return xstrdup(id);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, m->data, m->len, digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return xasprintf("sha256:%s", hex);
}

/* What to do on the server with one message. */
struct plan_item {
	uint32_t uid;
	bool keep;
	struct strlist folders;
	struct strlist flags;
};

static void
plan_free(struct plan_item *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		strlist_free(&p[i].folders);
		strlist_free(&p[i].flags);
	}
	free(p);
}

static bool
strlist_equal(const struct strlist *a, const struct strlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Files one group of messages with the same decision. The order keeps
   every crash point safe: copies first, the marking flag last, so an
   interrupted group is simply done again (a duplicate copy is better
   than a loss). */
static int
apply_group(struct imap_conn *conn, const struct account *acc,
	    const struct plan_item *p, const uint32_t *uids, size_t n,
	    const char **error_r)
{
	struct strlist flags = {NULL, 0, 0};
	char **names;
	int ret = -1;

	if (acc->mode == PROCESSED_LEAVE)
		return 0;
	for (size_t i = 0; i < p->flags.n; i++)
		strlist_add(&flags, p->flags.v[i]);
	if (acc->mode == PROCESSED_FLAG) {
		strlist_add(&flags, acc->processed_flag);
		ret =
		    imap_add_flags(conn, uids, n, (const char *const *)flags.v,
				   flags.n, error_r);
		strlist_free(&flags);
		return ret;
	}
	names = xcalloc(p->folders.n + 1, sizeof(*names));
	for (size_t i = 0; i < p->folders.n; i++) {
		if (imap_folder_name(conn, p->folders.v[i], &names[i],
				     error_r) < 0 ||
		    imap_ensure_mailbox(conn, names[i], error_r) < 0)
			goto out;
	}
	if (p->keep) {
		for (size_t i = 0; i < p->folders.n; i++)
			if (imap_copy(conn, uids, n, names[i], error_r) < 0)
				goto out;
		strlist_add(&flags, acc->processed_flag);
		if (imap_add_flags(conn, uids, n, (const char *const *)flags.v,
				   flags.n, error_r) < 0)
			goto out;
	} else if (p->folders.n > 0) {
		/* the rules' flags travel with the message */
		if (imap_add_flags(conn, uids, n, (const char *const *)flags.v,
				   flags.n, error_r) < 0)
			goto out;
		for (size_t i = 0; i + 1 < p->folders.n; i++)
			if (imap_copy(conn, uids, n, names[i], error_r) < 0)
				goto out;
		if (imap_move(conn, uids, n, names[p->folders.n - 1], error_r) <
		    0)
			goto out;
	} else {
		/* discard */
		if (imap_delete(conn, uids, n, error_r) < 0)
			goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < p->folders.n; i++)
		free(names[i]);
	free(names);
	strlist_free(&flags);
	return ret;
}

/* Files the batch: one command per distinct decision, not per
   message. */
static int
apply_plan(struct imap_conn *conn, const struct account *acc,
	   struct plan_item *plan, size_t n, const char **error_r)
{
	bool *done = xcalloc(n + 1, sizeof(*done));
	struct imap_uids uids = {NULL, 0, 0};
	int ret = 0;

	for (size_t i = 0; i < n && ret == 0; i++) {
		if (done[i])
			continue;
		uids.n = 0;
		for (size_t j = i; j < n; j++) {
			if (done[j] || plan[j].keep != plan[i].keep ||
			    !strlist_equal(&plan[j].folders,
					   &plan[i].folders) ||
			    !strlist_equal(&plan[j].flags, &plan[i].flags))
				continue;
			done[j] = true;
			imap_uids_add(&uids, plan[j].uid);
		}
		ret = apply_group(conn, acc, &plan[i], uids.v, uids.n, error_r);
	}
	imap_uids_free(&uids);
	free(done);
	return ret;
}

static bool
has_flag(const struct imap_message *m, const char *flag)
{
	return strlist_contains_case(&m->flags, flag);
}

static void
split_words(struct strlist *l, const char *s, const char *seps)
{
	if (s != NULL)
		strlist_split(l, s, seps);
}

static char *
join(const struct strlist *l, char sep)
{
	struct str s = STR_INIT;

	str_init(&s);
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			str_appendc(&s, sep);
		str_append(&s, l->v[i]);
	}
	return l->n > 0 ? str_steal(&s) : (str_free(&s), NULL);
}

/* ---- the pipeline, with keep and fileinto carried out on the server ---- */

/* What the actions decided for the message being processed, and where
   it came from: reachable from the action table through
   exec_ctx.defs_ctx. */
struct poll_msg {
	const struct account *acc;
	const char *mailbox;
	uint32_t uidvalidity, uid;
	const char *key;
	struct plan_item *item;
};

static int
remote_store_prepare(struct action *a, struct exec_ctx *ctx,
		     enum outcome *outcome_r, const char **error_r)
{
	struct poll_msg *pm = ctx->defs_ctx;
	struct plan_item *item = pm->item;

	if (a->folder == NULL || *a->folder == '\0' ||
	    strcasecmp(a->folder, "INBOX") == 0)
		item->keep = true;
	else if (!strlist_contains_case(&item->folders, a->folder))
		strlist_add(&item->folders, a->folder);
	for (size_t i = 0; i < a->flags.n; i++)
		if (!strlist_contains_case(&item->flags, a->flags.v[i]))
			strlist_add(&item->flags, a->flags.v[i]);
	/* fileinto creates folders on the server, and so in the local
	   copy: not Sieve's missing-folder fallback of local delivery */
	a->need_folder = false;
	if (ctx->maildir != NULL) /* the optional local copy */
		return act_store.prepare(a, ctx, outcome_r, error_r);
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	if (a->folder == NULL)
		str_append(&ctx->summary, "keep");
	else
		str_printf(&ctx->summary, "fileinto %s", a->folder);
	return 0;
}

static int
remote_store_commit(struct action *a, struct exec_ctx *ctx,
		    enum outcome *outcome_r, const char **error_r)
{
	if (ctx->maildir != NULL && act_store.commit != NULL)
		return act_store.commit(a, ctx, outcome_r, error_r);
	return 0;
}

static void
remote_store_rollback(struct action *a, struct exec_ctx *ctx)
{
	struct poll_msg *pm = ctx->defs_ctx;

	/* the fallback keep starts from a clean slate */
	strlist_free(&pm->item->folders);
	pm->item->keep = false;
	if (ctx->maildir != NULL && act_store.rollback != NULL)
		act_store.rollback(a, ctx);
}

static const struct action_def remote_store = {
    .name = "store (IMAP)",
    .prepare = remote_store_prepare,
    .commit = remote_store_commit,
    .rollback = remote_store_rollback,
};

/* action_defs with keep/fileinto replaced by the server-side store. */
static const struct action_def *remote_defs[ACTION_KIND_COUNT];

static void
remote_defs_init(void)
{
	for (size_t i = 0; i < ACTION_KIND_COUNT; i++)
		remote_defs[i] = action_defs[i];
	remote_defs[ACTION_STORE] = &remote_store;
}

/* Inside the pipeline's transaction: the record that makes the message
   "seen" commits together with everything the rules did. */
static int
record_before_commit(struct exec_ctx *ctx, struct store *store,
		     const char **error_r)
{
	struct poll_msg *pm = ctx->defs_ctx;
	struct store_imap_record rec;
	int r;

	if (store == NULL) {
		*error_r = "ackmail poll needs the state database";
		return -1;
	}
	/* a rejected message stays where it is (there is nobody to refuse
	   it to over IMAP) */
	if (ctx->rejected)
		pm->item->keep = true;
	memset(&rec, 0, sizeof(rec));
	rec.key = (char *)pm->key;
	rec.account = pm->acc->name;
	rec.mailbox = (char *)pm->mailbox;
	rec.uidvalidity = pm->uidvalidity;
	rec.uid = pm->uid;
	rec.folders = join(&pm->item->folders, '\n');
	rec.flags = join(&pm->item->flags, ' ');
	rec.keep = pm->item->keep;
	rec.outcome = ctx->rejected ? (char *)"rejected" : (char *)"ok";
	rec.at = clock_now();
	r = store_imap_record_add(store, &rec, error_r);
	free(rec.folders);
	free(rec.flags);
	return r;
}

/* "<a@b>" or " a@b " -> "a@b", in place. */
static const char *
envelope_addr(char *s)
{
	char *lt = strchr(s, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt + 1, '>')) != NULL) {
		*gt = '\0';
		return lt + 1;
	}
	return str_trim(s);
}

/* Processes one message: the decision comes from the store when the
   message was seen before, else from the pipeline, committed together
   with its record. Returns 1 processed, 0 handled before, -1 failed
   (nothing committed; the message stays for the next run). */
static int
process_message(struct pipeline *p, struct store *store,
		const struct account *acc, const char *mailbox,
		uint32_t uidvalidity, const struct imap_message *m,
		struct plan_item *item, const char **error_r)
{
	struct store_imap_record rec;
	struct poll_msg pm;
	struct msg *msg = msg_new_copy(m->data, m->len);
	char *key = message_key(msg, m);
	char *rpath = msg_header_get(msg, "Return-Path", false);
	char *dto = msg_header_get(msg, "Delivered-To", false);
	const char *id = msg_message_id(msg);
	char *prefix =
	    xasprintf("imap %s/%s uid %u:", acc->name, mailbox, m->uid);
	char *reject = NULL;
	enum outcome outcome;
	int r, ret = -1;

	item->uid = m->uid;
	/* the envelope as the delivering server saw it, when it says so */
	msg_set_envelope(msg, rpath != NULL ? envelope_addr(rpath) : NULL,
			 dto != NULL ? envelope_addr(dto) : acc->set.user);
	r = store_imap_record_get(store, key, &rec, error_r);
	if (r < 0)
		goto out;
	if (r > 0) {
		item->keep = rec.keep;
		split_words(&item->folders, rec.folders, "\n");
		split_words(&item->flags, rec.flags, " ");
		log_info("%s message-id=<%s> seen before (uid %u), filed "
			 "again",
			 prefix, id != NULL ? id : key, rec.uid);
		store_imap_record_free(&rec);
		ret = 0;
		goto out;
	}
	memset(&pm, 0, sizeof(pm));
	pm.acc = acc;
	pm.mailbox = mailbox;
	pm.uidvalidity = uidvalidity;
	pm.uid = m->uid;
	pm.key = key;
	pm.item = item;
	p->opts.defs_ctx = &pm;
	p->opts.log_prefix = prefix;
	outcome = pipeline_run(p, msg, NULL, &reject);
	p->opts.defs_ctx = NULL;
	p->opts.log_prefix = NULL;
	free(reject);
	if (outcome != OUTCOME_OK && outcome != OUTCOME_PERMFAIL) {
		strlist_free(&item->folders);
		strlist_free(&item->flags);
		*error_r = outcome_name(outcome);
		goto out;
	}
	ret = 1;
out:
	free(rpath);
	free(dto);
	free(prefix);
	free(key);
	msg_free(&msg);
	return ret;
}

/* The account's fetch batch as stored (the configured size the first
   time). The batch is an optimisation: when the database cannot give it
   (say a database whose schema predates migration 41), polling goes on
   with the configured size. */
static void
batch_load(struct store *store, const struct account *acc, struct imap_batch *b)
{
	long size = 0;
	int failures = 0, successes = 0;
	const char *error;

	if (store_imap_batch_get(store, acc->name, &size, &failures, &successes,
				 &error) < 0) {
		log_warnx("imap %s: fetch batch not stored: %s", acc->name,
			  error);
		size = failures = successes = 0;
	}
	imap_batch_init(b, acc->batch, size, failures, successes);
}

/* Counts a good or a failed fetch and stores the outcome, so that the
   next run (cron's next --once too) starts from it. */
static void
batch_count(struct store *store, const struct account *acc,
	    struct imap_batch *b, bool good)
{
	long before = b->size;
	const char *error;

	if (good ? imap_batch_succeeded(b) : imap_batch_failed(b))
		log_info("imap %s: fetch batch %ld -> %ld (%s)", acc->name,
			 before, b->size,
			 good ? "good fetches in a row"
			      : "fetches failed in a row");
	if (store_imap_batch_set(store, acc->name, b->size, b->failures,
				 b->successes, &error) < 0)
		log_warnx("imap %s: fetch batch not stored: %s", acc->name,
			  error);
}

/* A server without UIDPLUS: the messages we moved away or discarded
   carry \Deleted, the processed flag and $AckmailExpunge; a plain
   EXPUNGE removes them only when no other client's \Deleted message
   would go with them (imap_expunge_own). Returns 0/-1. */
static int
expunge_own(struct imap_conn *conn, const struct account *acc,
	    const char *mailbox, const char **error_r)
{
	size_t left, foreign;
	int r = imap_expunge_own(conn, &left, &foreign, error_r);

	if (r > 0)
		log_info("imap %s/%s: expunged (no UIDPLUS: every \\Deleted "
			 "message was ours)",
			 acc->name, mailbox);
	else if (r == 0 && left > 0)
		log_info("imap %s/%s: %zu message(s) left marked \\Deleted: "
			 "%zu other \\Deleted message(s) in the mailbox, "
			 "which a plain EXPUNGE would remove too (the server "
			 "has no UIDPLUS)",
			 acc->name, mailbox, left, foreign);
	return r < 0 ? -1 : 0;
}

/* Polls one mailbox. Returns 0 when every message found was handled,
   1 when some message failed (left for the next run), -1 on an IMAP or
   store error (reconnect). */
static int
poll_mailbox(struct imap_conn *conn, struct pipeline *p, struct store *store,
	     const struct account *acc, const char *mailbox,
	     struct poll_stats *stats, const char **error_r)
{
	struct imap_uids uids = {NULL, 0, 0};
	struct imap_batch batch = {1, 1, 0, 0};
	uint32_t validity, uidnext, exists, old_validity = 0, last_uid = 0;
	const char *without;
	bool stuck = false;
	char *server_name = NULL;
	int r, ret = 0;

	/* the configured name (UTF-8, our separators) is the one in the
	   store and the logs; the server gets its own spelling */
	if (imap_folder_name(conn, mailbox, &server_name, error_r) < 0)
		return -1;
	r = imap_select(conn, server_name, &validity, &uidnext, &exists,
			error_r);
	free(server_name);
	if (r < 0)
		return -1;
	r = store_imap_state_get(store, acc->name, mailbox, &old_validity,
				 &last_uid, error_r);
	if (r < 0)
		return -1;
	if (r == 0 || old_validity != validity) {
		if (r > 0)
			log_warnx("imap %s/%s: UIDVALIDITY changed (%u -> "
				  "%u): rescanning the mailbox",
				  acc->name, mailbox, old_validity, validity);
		last_uid = 0;
		if (store_imap_state_set(store, acc->name, mailbox, validity, 0,
					 error_r) < 0)
			return -1;
	}
	if (uidnext != 0 && uidnext <= last_uid + 1)
		return expunge_own(conn, acc, mailbox, error_r) < 0 ? -1 : 0;
	without = acc->mode == PROCESSED_LEAVE ? NULL : acc->processed_flag;
	if (imap_search_from(conn, last_uid + 1, without, &uids, error_r) < 0)
		return -1;
	if (uids.n > 0)
		batch_load(store, acc, &batch);
	/* a message that fails is left for the next run, the others go on;
	   last_uid stops just before the first failure */
	for (size_t start = 0, n = 0;
	     start < uids.n && ret >= 0 && !stop_requested; start += n) {
		size_t count = 0, planned = 0;
		struct imap_message *msgs = NULL;
		struct plan_item *plan;
		uint32_t done_uid = last_uid;
		bool failed = false;

		n = uids.n - start;
		if (n > (size_t)batch.size)
			n = (size_t)batch.size;
		if (imap_fetch(conn, uids.v + start, n, &msgs, &count,
			       error_r) < 0) {
			batch_count(store, acc, &batch, false);
			ret = -1;
			break;
		}
		batch_count(store, acc, &batch, true);
		plan = xcalloc(count + 1, sizeof(*plan));
		for (size_t i = 0; i < count; i++) {
			const char *perr = NULL;

			if (stop_requested) {
				failed = stuck = true;
				break;
			}
			if (acc->mode != PROCESSED_LEAVE &&
			    has_flag(&msgs[i], acc->processed_flag)) {
				stats->skipped++;
				if (!stuck)
					done_uid = msgs[i].uid;
				continue;
			}
			r = process_message(p, store, acc, mailbox, validity,
					    &msgs[i], &plan[planned], &perr);
			if (r < 0) {
				log_warnx("imap %s/%s uid %u: not processed, "
					  "left for the next run: %s",
					  acc->name, mailbox, msgs[i].uid,
					  perr != NULL ? perr : "error");
				strlist_free(&plan[planned].folders);
				strlist_free(&plan[planned].flags);
				memset(&plan[planned], 0,
				       sizeof(plan[planned]));
				stats->failed++;
				failed = stuck = true;
				continue;
			}
			if (r > 0)
				stats->processed++;
			else
				stats->repeated++;
			planned++;
			if (!stuck)
				done_uid = msgs[i].uid;
		}
		if (planned > 0 &&
		    apply_plan(conn, acc, plan, planned, error_r) < 0) {
			plan_free(plan, planned);
			imap_messages_free(&msgs, count);
			ret = -1;
			break;
		}
		plan_free(plan, planned);
		if (!stuck && count > 0 && done_uid < uids.v[start + n - 1])
			done_uid = uids.v[start + n - 1]; /* vanished ones */
		imap_messages_free(&msgs, count);
		if (done_uid > last_uid) {
			if (store_imap_state_set(store, acc->name, mailbox,
						 validity, done_uid,
						 error_r) < 0) {
				ret = -1;
				break;
			}
			last_uid = done_uid;
		}
		if (failed)
			ret = 1;
	}
	imap_uids_free(&uids);
	if (ret >= 0 && expunge_own(conn, acc, mailbox, error_r) < 0)
		ret = -1;
	return ret;
}

/* ---- scheduled work of the long-running service ---- */

/* `ackmail outbox flush`: what the messages queued (acknowledgements)
   and what earlier attempts left, within [outbound] flush_budget. */
static void
hook_outbox_flush(struct pipeline *p)
{
	pipeline_outbound_flush(p);
}

/* Hook: `ackmail escalate` (h/notices), every ESCALATE_EVERY_SECONDS. */
static void
hook_escalate(const struct config *cfg, struct store *store)
{
	/* the same work as `ackmail escalate`, on its own connection */
	char arg0[] = "escalate", arg1[] = "-c", *path = NULL;
	char *argv[4] = {arg0, NULL, NULL, NULL};
	struct notices_cli cli;
	struct store_notice_list l = {0};
	const char *error;
	int argc = 1, n;

	(void)store;
	if (config_path(cfg) != NULL) {
		path = xstrdup(config_path(cfg));
		argv[argc++] = arg1;
		argv[argc++] = path;
	}
	if (notices_cli_open(&cli, &argc, argv) != EX_OK) {
		log_warnx("escalate: cannot open the notices engine");
		notices_cli_close(&cli);
		free(path);
		return;
	}
	if (store_begin(cli.store, &error) < 0 ||
	    (n = notices_escalate(cli.notices, cli.now, &l, &error)) < 0 ||
	    store_commit(cli.store, &error) < 0) {
		store_rollback(cli.store);
		log_warnx("escalate: %s", error);
	} else if (n > 0)
		log_info("escalate: %d notice(s) to call", n);
	store_notice_list_free(&l);
	notices_cli_close(&cli);
	free(path);
}

static void
run_scheduled(struct pipeline *p, const struct config *cfg, struct store *store,
	      uint64_t *last_escalate_ms)
{
	uint64_t now = clock_monotonic_ms();

	hook_outbox_flush(p);
	if (*last_escalate_ms == 0 ||
	    now - *last_escalate_ms >= ESCALATE_EVERY_SECONDS * 1000ULL) {
		hook_escalate(cfg, store);
		/* the notices engine sets up logging its own way */
		log_init("ackmail", true, poll_verbose);
		*last_escalate_ms = now;
	}
}

/* Sleeps up to seconds, or until SIGTERM / fd readable. Returns 1 when
   fd became readable, 0 otherwise. */
static int
wait_for(int fd, long seconds)
{
	struct pollfd pfd[2];
	int n = 0, r;

	pfd[n].fd = stop_pipe[0];
	pfd[n++].events = POLLIN;
	if (fd >= 0) {
		pfd[n].fd = fd;
		pfd[n++].events = POLLIN;
	}
	if (stop_requested)
		return 0;
	r = poll(pfd, n, (int)(seconds * 1000));
	if (r > 0 && n > 1 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
		return 1;
	return 0;
}

/* ---- the command ---- */

static int
open_store(const struct config *cfg, struct store **store_r)
{
	char *path = config_db_path(cfg);
	const char *error;
	long busy = 30;
	int r;

	if (config_get_duration(cfg, "database", "busy_timeout", 30, &busy) < 0)
		busy = 30;
	r = store_open(path, busy * 1000, store_r, &error);
	if (r < 0)
		log_warnx("%s", error);
	free(path);
	return r;
}

/* The pipeline for one account: the configured rules, keep and fileinto
   filed on the server, the optional local Maildir copy. */
static int
account_pipeline(const struct config *cfg, const struct account *acc,
		 const char *db, struct pipeline *p, struct store **store_r)
{
	struct pipeline_opts opts;
	const char *error;

	memset(&opts, 0, sizeof(opts));
	opts.config = cfg;
	opts.maildir = acc->local_maildir;
	opts.db_path = db;
	opts.defs = remote_defs;
	opts.before_commit = record_before_commit;
	if (pipeline_init(p, &opts, &error) < 0) {
		log_warnx("%s", error);
		return -1;
	}
	if (pipeline_store(p, store_r, &error) < 0) {
		log_warnx("%s", error);
		pipeline_deinit(p);
		return -1;
	}
	return 0;
}

/* Connects and logs in for the account. 0/-1. */
static int
account_connect(const struct account *acc, struct imap_conn **conn_r,
		const char **error_r)
{
	if (imap_connect(&acc->set, conn_r, error_r) < 0)
		return -1;
	imap_set_marks(
	    *conn_r, acc->mode == PROCESSED_LEAVE ? NULL : acc->processed_flag,
	    IMAP_OWN_DELETE_FLAG);
	return 0;
}

static int
poll_account_once(struct pipeline *p, struct store *store,
		  const struct account *acc, struct poll_stats *stats)
{
	struct imap_conn *conn = NULL;
	const char *error = NULL;
	int ret = 0;

	if (account_connect(acc, &conn, &error) < 0) {
		log_warnx("imap %s: %s", acc->name, error);
		return -1;
	}
	for (size_t i = 0; i < acc->mailboxes.n && !stop_requested; i++) {
		int r = poll_mailbox(conn, p, store, acc, acc->mailboxes.v[i],
				     stats, &error);

		if (r < 0) {
			log_warnx("imap %s/%s: %s", acc->name,
				  acc->mailboxes.v[i],
				  error != NULL ? error : "error");
			imap_abort(&conn);
			return -1;
		}
		if (r > 0)
			ret = 1;
	}
	imap_close(&conn);
	return ret;
}

/* ---- waiting for new mail on several mailboxes ----

   IDLE (RFC 2177) reports changes of the selected mailbox only, and a
   connection selects one mailbox at a time. So the service keeps one
   connection per watched mailbox: the main connection does all the
   work and IDLEs on the last mailbox it polled; every other mailbox
   gets a watcher connection that only EXAMINEs it and IDLEs. When any
   of them reports something, all stop idling and the main connection
   polls every mailbox (cheap when nothing is new: UIDNEXT says so).
   Watchers start IDLE before the main connection polls, so a message
   that arrives in between is either found by that poll or reported by
   the watcher. Servers limit connections per user (Dovecot: 10 per
   user and address by default), so at most idle_connections (default
   5) connections are used; mailboxes beyond them, and any whose
   watcher could not be set up, are polled every interval. A watcher
   that fails is dropped and set up again on the next round; only a
   failure of the main connection reconnects everything.

   The alternatives were weighed: NOTIFY (RFC 5465) would do it on one
   connection but few servers and not libetpan offer it; IDLE on one
   mailbox plus STATUS polling of the others delays those by the
   interval, which is what the issue is about. */

struct watcher {
	struct imap_conn *conn;
	bool idling;
};

static void
watchers_drop(struct watcher *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		imap_abort(&w[i].conn);
		w[i].idling = false;
	}
}

/* Sets up (when needed) and starts IDLE on the watcher of mailbox.
   Returns 0, or -1 when the mailbox has to be polled instead. */
static int
watcher_start(struct watcher *w, const struct account *acc, const char *mailbox)
{
	const char *error = NULL;
	char *name = NULL;

	if (w->conn == NULL) {
		uint32_t v, next, exists;
		int r;

		if (account_connect(acc, &w->conn, &error) < 0)
			goto fail;
		if (!imap_has_idle(w->conn)) {
			error = "no IDLE";
			goto fail;
		}
		if (imap_folder_name(w->conn, mailbox, &name, &error) < 0)
			goto fail;
		r = imap_examine(w->conn, name, &v, &next, &exists, &error);
		free(name);
		if (r < 0)
			goto fail;
	}
	if (imap_idle_start(w->conn, &error) < 0)
		goto fail;
	w->idling = true;
	return 0;
fail:
	log_warnx("imap %s/%s: no IDLE watcher (%s); polling it every %lds",
		  acc->name, mailbox, error != NULL ? error : "error",
		  acc->interval);
	imap_abort(&w->conn);
	w->idling = false;
	return -1;
}

/* Ends IDLE on a watcher; drops it when that fails. */
static void
watcher_stop(struct watcher *w, const struct account *acc, const char *mailbox)
{
	const char *error = NULL;

	if (!w->idling)
		return;
	w->idling = false;
	if (imap_idle_done(w->conn, &error) < 0) {
		log_warnx("imap %s/%s: IDLE watcher lost (%s)", acc->name,
			  mailbox, error != NULL ? error : "error");
		imap_abort(&w->conn);
	}
}

static size_t
watchers_idling(const struct watcher *w, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += w[i].idling;
	return k;
}

/* Waits up to seconds for SIGTERM or any of the connections in IDLE to
   report something. */
static void
wait_idle(struct imap_conn *main_conn, struct watcher *w, size_t nw,
	  long seconds)
{
	struct pollfd *pfd = xcalloc(nw + 2, sizeof(*pfd));
	size_t n = 0;
	bool ready = false;

	pfd[n].fd = stop_pipe[0];
	pfd[n++].events = POLLIN;
	if (main_conn != NULL) {
		pfd[n].fd = imap_idle_fd(main_conn);
		pfd[n++].events = POLLIN;
		ready = ready || imap_idle_pending(main_conn);
	}
	for (size_t i = 0; i < nw; i++) {
		if (!w[i].idling)
			continue;
		pfd[n].fd = imap_idle_fd(w[i].conn);
		pfd[n++].events = POLLIN;
		ready = ready || imap_idle_pending(w[i].conn);
	}
	/* an answer already read into a buffer never wakes poll() */
	if (!ready && !stop_requested)
		poll(pfd, n, (int)(seconds * 1000));
	free(pfd);
}

/* The service loop for one account: poll every mailbox, then IDLE on
   all of them (or sleep the interval), reconnecting with exponential
   backoff. */
static int
poll_account_idle(struct pipeline *p, struct store *store,
		  const struct config *cfg, const struct account *acc,
		  bool use_idle)
{
	struct poll_stats stats = {0, 0, 0, 0};
	size_t nmb = acc->mailboxes.n, nw = 0;
	struct watcher *w = xcalloc(nmb + 1, sizeof(*w));
	uint64_t last_escalate = 0;
	long backoff = 1;

	/* watchers for all but the last mailbox, within the limit */
	if (use_idle && nmb > 1) {
		nw = nmb - 1;
		if (nw > (size_t)acc->idle_connections - 1)
			nw = (size_t)acc->idle_connections - 1;
	}
	log_info("imap %s: polling %s as %s", acc->name, acc->set.host,
		 acc->set.user);
	while (!stop_requested) {
		struct imap_conn *conn = NULL;
		const char *error = NULL;

		if (account_connect(acc, &conn, &error) < 0) {
			log_warnx("imap %s: %s; retrying in %lds", acc->name,
				  error, backoff);
			wait_for(-1, backoff);
			backoff = backoff * 2 > BACKOFF_MAX_SECONDS
				      ? BACKOFF_MAX_SECONDS
				      : backoff * 2;
			continue;
		}
		backoff = 1;
		while (!stop_requested) {
			bool ok = true, all_watched = true, main_idle = false;
			int r = 0;

			if (!imap_has_idle(conn))
				nw = 0;
			for (size_t i = 0; i < nw; i++)
				if (watcher_start(&w[i], acc,
						  acc->mailboxes.v[i]) < 0)
					all_watched = false;
			if (nw < nmb - 1)
				all_watched = false;
			for (size_t i = 0; i < nmb && ok; i++) {
				r = poll_mailbox(conn, p, store, acc,
						 acc->mailboxes.v[i], &stats,
						 &error);
				if (r < 0)
					ok = false;
			}
			if (ok) {
				run_scheduled(p, cfg, store, &last_escalate);
				/* the last SELECT was the last mailbox; after
				   a failed message poll again by the interval
				 */
				if (!stop_requested && use_idle &&
				    imap_has_idle(conn) && r == 0) {
					if (imap_idle_start(conn, &error) < 0)
						ok = false;
					else
						main_idle = true;
				}
			}
			if (ok && !stop_requested) {
				long t = IDLE_MAX_SECONDS;

				if (t > ESCALATE_EVERY_SECONDS)
					t = ESCALATE_EVERY_SECONDS;
				if (!main_idle || !all_watched)
					t = t < acc->interval ? t
							      : acc->interval;
				log_debug("imap %s: waiting up to %lds, IDLE "
					  "on %zu of %zu mailbox(es)",
					  acc->name, t,
					  (size_t)main_idle +
					      watchers_idling(w, nw),
					  nmb);
				wait_idle(main_idle ? conn : NULL, w, nw, t);
			}
			for (size_t i = 0; i < nw; i++)
				watcher_stop(&w[i], acc, acc->mailboxes.v[i]);
			if (ok && main_idle && imap_idle_done(conn, &error) < 0)
				ok = false;
			if (!ok) {
				if (!stop_requested)
					log_warnx("imap %s: %s; reconnecting",
						  acc->name,
						  error != NULL ? error
								: "error");
				break;
			}
		}
		watchers_drop(w, nmb);
		if (stop_requested)
			imap_close(&conn);
		else
			imap_abort(&conn);
		if (!stop_requested)
			wait_for(-1, backoff);
	}
	free(w);
	log_info("imap %s: stopped (%lu processed, %lu seen before, %lu "
		 "failed)",
		 acc->name, stats.processed, stats.repeated, stats.failed);
	return 0;
}

static int
print_records(struct store *store, bool json)
{
	struct store_imap_record rec;
	int64_t iter = 0;
	const char *error;
	int r;

	while ((r = store_imap_record_next(store, &iter, &rec, &error)) > 0) {
		struct str line = STR_INIT;

		str_init(&line);
		if (json) {
			str_append(&line, "{\"key\":");
			str_append_json(&line, rec.key);
			str_append(&line, ",\"account\":");
			str_append_json(&line, rec.account);
			str_append(&line, ",\"mailbox\":");
			str_append_json(&line, rec.mailbox);
			str_printf(&line, ",\"uidvalidity\":%u,\"uid\":%u",
				   rec.uidvalidity, rec.uid);
			str_append(&line, ",\"folders\":");
			str_append_json(&line, rec.folders);
			str_append(&line, ",\"flags\":");
			str_append_json(&line, rec.flags);
			str_printf(&line, ",\"keep\":%s,\"outcome\":",
				   rec.keep ? "true" : "false");
			str_append_json(&line, rec.outcome);
			str_append(&line, "}");
		} else {
			str_printf(&line, "%s %s/%s uid %u %s%s%s", rec.key,
				   rec.account, rec.mailbox, rec.uid,
				   rec.keep ? "keep" : "",
				   rec.folders != NULL ? " " : "",
				   rec.folders != NULL ? rec.folders : "");
		}
		printf("%s\n", str_c(&line));
		str_free(&line);
		store_imap_record_free(&rec);
	}
	if (r < 0) {
		log_warnx("%s", error);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/* --folders: the account's mailboxes as the server lists them, decoded
   from modified UTF-7, with its personal namespace. */
static int
print_folders(const struct account *acc)
{
	struct imap_conn *conn = NULL;
	struct strlist names = {NULL, 0, 0};
	const char *error = NULL, *prefix;
	char sep;

	if (imap_connect(&acc->set, &conn, &error) < 0) {
		log_warnx("imap %s: %s", acc->name, error);
		return EX_TEMPFAIL;
	}
	if (imap_namespace(conn, &prefix, &sep, &error) < 0 ||
	    imap_list_folders(conn, &names, &error) < 0) {
		log_warnx("imap %s: %s", acc->name, error);
		imap_abort(&conn);
		return EX_TEMPFAIL;
	}
	log_info("imap %s: personal namespace \"%s\", separator \"%c\"",
		 acc->name, prefix, sep);
	for (size_t i = 0; i < names.n; i++)
		printf("%s\n", names.v[i]);
	strlist_free(&names);
	imap_close(&conn);
	return EX_OK;
}

static int
print_stats(struct store *store)
{
	int64_t records, deliveries, duplicates;
	const char *error;

	if (store_imap_counts(store, &records, &deliveries, &duplicates,
			      &error) < 0) {
		log_warnx("%s", error);
		return EX_TEMPFAIL;
	}
	printf("{\"records\":%lld,\"deliveries\":%lld,\"duplicates\":%lld}\n",
	       (long long)records, (long long)deliveries,
	       (long long)duplicates);
	return EX_OK;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail poll [-c CONFIG] [--once | --idle] "
		    "[--account NAME] [-v]\n"
		    "       ackmail poll [-c CONFIG] --list [--json] | "
		    "--stats\n"
		    "       ackmail poll [-c CONFIG] [--account NAME] "
		    "--folders\n");
}

int
cmd_poll(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"once", no_argument, NULL, 'o'},
	    {"idle", no_argument, NULL, 'i'},
	    {"no-idle", no_argument, NULL, 'n'},
	    {"account", required_argument, NULL, 'a'},
	    {"list", no_argument, NULL, 'l'},
	    {"stats", no_argument, NULL, 's'},
	    {"folders", no_argument, NULL, 'f'},
	    {"json", no_argument, NULL, 'j'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config_file = NULL;
	const char *only = NULL;
	bool idle = false, use_idle = true, list = false, stats_only = false;
	bool json = false, folders = false;
	int verbose = 0, c, ex = EX_OK;
	struct config *cfg = NULL;
	struct store *store = NULL;
	struct strlist names = {NULL, 0, 0};
	struct sigaction sa;
	char *error = NULL, *db = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:a:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_file = optarg;
			break;
		case 'o':
			idle = false;
			break;
		case 'i':
			idle = true;
			break;
		case 'n':
			use_idle = false;
			break;
		case 'a':
			only = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 's':
			stats_only = true;
			break;
		case 'f':
			folders = true;
			break;
		case 'j':
			json = true;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	poll_verbose = verbose;
	log_init("ackmail", true, verbose);
	if (config_find_load(config_file, &cfg, &error) < 0) {
		log_warnx("%s", error);
		free(error);
		return EX_CONFIG;
	}
	if (list || stats_only) {
		if (open_store(cfg, &store) < 0) {
			config_free(&cfg);
			return EX_TEMPFAIL;
		}
		ex = list ? print_records(store, json) : print_stats(store);
		goto out;
	}
	account_names(cfg, &names);
	if (only != NULL) {
		bool found = false;

		for (size_t i = 0; i < names.n; i++)
			found = found || strcmp(names.v[i], only) == 0;
		if (!found) {
			log_warnx("no [imap \"%s\"] section in %s", only,
				  config_file != NULL ? config_file
						      : "the configuration");
			ex = EX_CONFIG;
			goto out;
		}
		strlist_free(&names);
		strlist_add(&names, only);
	}
	if (names.n == 0) {
		log_warnx("no [imap \"NAME\"] account configured");
		ex = EX_CONFIG;
		goto out;
	}
	if (folders) {
		for (size_t i = 0; i < names.n; i++) {
			struct account acc;
			struct str err = STR_INIT;

			str_init(&err);
			if (account_load(cfg, names.v[i], &acc, &err) < 0) {
				log_warnx("%s", str_c(&err));
				ex = EX_CONFIG;
			} else if (print_folders(&acc) != EX_OK) {
				ex = EX_TEMPFAIL;
			}
			str_free(&err);
			account_free(&acc);
		}
		goto out;
	}
	if (idle && names.n > 1) {
		log_warnx("poll --idle serves one account: use --account NAME "
			  "(one service per account, ackmail-poll@NAME)");
		ex = EX_USAGE;
		goto out;
	}

	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		fatal("pipe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	remote_defs_init();
	db = config_db_path(cfg);
	for (size_t i = 0; i < names.n && !stop_requested; i++) {
		struct account acc;
		struct pipeline p;
		struct str err = STR_INIT;

		str_init(&err);
		if (account_load(cfg, names.v[i], &acc, &err) < 0) {
			log_warnx("%s", str_c(&err));
			str_free(&err);
			account_free(&acc);
			ex = EX_CONFIG;
			continue;
		}
		str_free(&err);
		if (account_pipeline(cfg, &acc, db, &p, &store) < 0) {
			account_free(&acc);
			ex = EX_TEMPFAIL;
			continue;
		}
		if (idle) {
			poll_account_idle(&p, store, cfg, &acc, use_idle);
		} else {
			struct poll_stats st = {0, 0, 0, 0};
			int r = poll_account_once(&p, store, &acc, &st);

			log_info("imap %s: %lu processed, %lu seen before, "
				 "%lu already marked, %lu failed",
				 acc.name, st.processed, st.repeated,
				 st.skipped, st.failed);
			if (r != 0 && ex == EX_OK)
				ex = EX_TEMPFAIL;
			if (r == 0) {
				uint64_t last = 0;

				run_scheduled(&p, cfg, store, &last);
			}
		}
		store = NULL; /* owned by the pipeline */
		pipeline_deinit(&p);
		account_free(&acc);
	}
out:
	free(db);
	strlist_free(&names);
	store_close(&store);
	config_free(&cfg);
	return ex;
}
