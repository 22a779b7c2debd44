/*
 * act-store.c - keep and fileinto: store the message in a Maildir folder
 * (prepared in tmp/, committed by a link into new/) or append it to an
 * mbox file (at commit time, the last step that can fail).
 */
#include <errno.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "actions.h"
#include "deliver.h"

struct store_state {
	struct maildir_tx *tx;
	char *dir;
	char *mbox_path;
};

static bool
is_inbox(const char *folder)
{
	return folder == NULL || *folder == '\0' ||
	       strcasecmp(folder, "INBOX") == 0;
}

/* The mbox file for folder when the default mailbox is an mbox: INBOX is
   the mbox itself, other folders are files beside it. */
static char *
mbox_folder_path(const char *mbox, const char *folder)
{
	char *copy, *dir, *path;

	if (is_inbox(folder))
		return xstrdup(mbox);
	copy = xstrdup(mbox);
	dir = dirname(copy);
	path = xasprintf("%s/%s", dir, folder);
	free(copy);
	return path;
}

/* Whether folder exists already: its Maildir++ directory, or the mbox
   file beside the default mbox. */
static bool
folder_exists(const struct exec_ctx *ctx, const char *folder)
{
	struct stat st;
	char *path;
	bool r;

	if (ctx->mbox != NULL) {
		path = mbox_folder_path(ctx->mbox, folder);
		r = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	} else {
		/* as mailboxexists sees it */
		path = maildir_folder_path(ctx->maildir, folder);
		r = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	}
	free(path);
	return r;
}

static int
store_prepare(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
	      const char **error_r)
{
	struct store_state *st;
	const char *folder = a->folder;

	if (!is_inbox(folder) && folder_name_check(folder, error_r) < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	if (a->need_folder && a->mbox == NULL && !is_inbox(folder) &&
	    !folder_exists(ctx, folder)) {
		/* Pigeonhole (lda_mailbox_autocreate = no): the store fails
		   and the message goes to the default mailbox */
		*error_r = "mailbox does not exist (fileinto without :create; "
			   "[sieve] mailbox_autocreate = no)";
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	a->state = st;
	if (a->mbox != NULL) {
		st->mbox_path = xstrdup(a->mbox);
		return 0;
	}
	if (ctx->mbox != NULL) {
		st->mbox_path = mbox_folder_path(ctx->mbox, folder);
		return 0;
	}
	st->dir =
	    maildir_folder_path(ctx->maildir, is_inbox(folder) ? NULL : folder);
	if (maildir_begin(st->dir, action_msg(a, ctx->msg),
			  (const char *const *)a->flags.v, &st->tx,
			  error_r) < 0) {
		*outcome_r = outcome_from_errno(errno);
		return -1;
	}
	return 0;
}

static void
store_state_free(struct action *a)
{
	struct store_state *st = a->state;

	if (st == NULL)
		return;
	if (st->tx != NULL)
		maildir_abort(&st->tx);
	free(st->dir);
	free(st->mbox_path);
	free(st);
	a->state = NULL;
}

static void
note_delivery(struct exec_ctx *ctx, const struct action *a, const char *where)
{
	if (ctx->summary.len > 0)
		str_append(&ctx->summary, "; ");
	str_printf(&ctx->summary, "%s %s", a->implicit ? "keep" : "fileinto",
		   a->folder != NULL ? a->folder : "INBOX");
	strlist_add(&ctx->delivered_to, where);
}

static int
store_commit(struct action *a, struct exec_ctx *ctx, enum outcome *outcome_r,
	     const char **error_r)
{
	struct store_state *st = a->state;
	char *path = NULL;

	if (st == NULL)
		return 0;
	if (st->mbox_path != NULL) {
		if (mbox_deliver(st->mbox_path, action_msg(a, ctx->msg),
				 ctx->lock_timeout, error_r) < 0) {
			*outcome_r = outcome_from_errno(errno);
			store_state_free(a);
			return -1;
		}
		note_delivery(ctx, a, st->mbox_path);
		store_state_free(a);
		return 0;
	}
	if (maildir_commit(&st->tx, &path, error_r) < 0) {
		*outcome_r = outcome_from_errno(errno);
		store_state_free(a);
		return -1;
	}
	note_delivery(ctx, a, path);
	free(path);
	store_state_free(a);
	return 0;
}

static void
store_rollback(struct action *a, struct exec_ctx *ctx)
{
	(void)ctx;
	store_state_free(a);
}

const struct action_def act_store = {
    .name = "store",
    .prepare = store_prepare,
    .commit = store_commit,
    .rollback = store_rollback,
};
