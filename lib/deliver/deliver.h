/*
 * deliver.h - crash-safe local delivery: Maildir (with Maildir++
 * folders), mbox (fcntl + dotlock, mboxrd) and pipes.
 *
 * Every function returns 0 on success or -1 with a reason in *error_r
 * (static or valid until the next call) and errno preserved. Every error
 * here is transient for the MTA (EX_TEMPFAIL): nothing bounces.
 */
#ifndef ACKMAIL_DELIVER_H
#define ACKMAIL_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct msg;

/* Checks a folder name from a rule: no "..", no absolute path, no
   control characters, not empty. Returns 0 ok, -1 with the reason. */
int folder_name_check(const char *folder, const char **error_r);
/* Maps a folder name to its Maildir++ directory under root: NULL,
   "" or "INBOX" -> root; "Support/Acme" or "Support.Acme" ->
   root/.Support.Acme. Caller frees. The name must have passed
   folder_name_check. */
char *maildir_folder_path(const char *root, const char *folder);

/* Maildir delivery in two steps. begin writes the message (without its
   From_ line) to tmp/ with O_CREAT|O_EXCL, checks every write, fsyncs
   and closes it; commit links it into new/ (or cur/ with ":2,FLAGS"
   when flags are given) without overwriting, fsyncs the directory and
   removes the tmp name; abort removes the tmp file. The folder is
   created (with tmp/ new/ cur/ and maildirfolder) when missing. */
struct maildir_tx;
int maildir_begin(const char *dir, const struct msg *msg,
		  const char *const *flags, struct maildir_tx **tx_r,
		  const char **error_r);
int maildir_commit(struct maildir_tx **tx, char **path_r,
		   const char **error_r);
void maildir_abort(struct maildir_tx **tx);
/* Both steps. */
int maildir_deliver(const char *dir, const struct msg *msg,
		    const char *const *flags, char **path_r,
		    const char **error_r);
/* Creates dir as a Maildir (tmp new cur). */
int maildir_create(const char *dir, const char **error_r);
/* A unique Maildir file name "time.M<usec>P<pid>Q<n>.host". */
char *maildir_unique_name(void);

/* mbox delivery: takes an fcntl lock and a dotlock (waiting at most
   lock_timeout seconds), appends the message in mboxrd form with a
   "From " line (the message's own, else built from the envelope
   sender), a blank line after it, fsyncs, and on any failure truncates
   the file back to its original length. */
int mbox_deliver(const char *path, const struct msg *msg, long lock_timeout,
		 const char **error_r);

/* Runs a command with the message on standard input. argv form when
   shell is false (the command is split on whitespace, with '' and ""
   quoting), /bin/sh -c otherwise. Waits at most timeout seconds, then
   kills the process group. *status_r is the exit status (128+signal
   when killed). Returns 0 when it ran (whatever its status), -1 when it
   could not be run or timed out. */
int pipe_run(const char *command, bool shell, const struct msg *msg,
	     long timeout, char *const *envp, int *status_r,
	     const char **error_r);
/* True when command contains a shell metacharacter. */
bool pipe_needs_shell(const char *command);

#endif
