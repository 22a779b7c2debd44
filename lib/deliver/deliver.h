/*
 * deliver.h - crash-safe local delivery: Maildir (with Maildir++
 * folders), mbox (fcntl + dotlock, mboxrd) and pipes.
 *
 * Every function returns 0 on success or -1 with a reason in *error_r
 * (static or valid until the next call) and errno preserved. Every error
 * here is transient for the MTA (EX_TEMPFAIL): nothing bounces.
 *
 * While a message is written to a file, SIGXFSZ is ignored (an exceeded
 * RLIMIT_FSIZE becomes a write error, EFBIG, and the partial write is
 * undone) and SIGHUP, SIGINT, SIGTERM are held back until the file is
 * consistent again; the previous dispositions and mask are restored
 * afterwards. When one of those signals is pending at the end of the
 * write (it arrived meanwhile, or the caller keeps it blocked), the
 * write is undone and the call fails with EINTR: a process about to die
 * of the signal has stored nothing, so the MTA's retry makes no
 * duplicate.
 * No function here touches GMime or SQLite: a plain delivery costs only
 * the file system calls.
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
   From_ line, otherwise byte for byte) to tmp/ with O_CREAT|O_EXCL,
   checks every write, fsyncs and closes it; commit hard-links it into
   new/ (or cur/ with ":2,FLAGS" when flags holds at least one IMAP
   system flag) without overwriting (a name already taken is replaced by
   a fresh unique name), fsyncs that directory and removes the tmp name;
   abort removes the tmp file. begin and commit free/consume *tx_r / *tx
   whatever they return. On any failure nothing is left in new/ or cur/
   (a crash can leave a file in tmp/, never a partial one in new/).
   The folder is created on demand: dir with tmp/ new/ cur/, and when
   dir's last component starts with "." (a Maildir++ folder) also the
   parent Maildir and the empty "maildirfolder" file; created
   directories are fsync'd with their parent. flags may be NULL.
   *path_r (may be NULL) receives the final file name; caller frees. */
struct maildir_tx;
int maildir_begin(const char *dir, const struct msg *msg,
		  const char *const *flags, struct maildir_tx **tx_r,
		  const char **error_r);
int maildir_commit(struct maildir_tx **tx, char **path_r, const char **error_r);
void maildir_abort(struct maildir_tx **tx);
/* Both steps. */
int maildir_deliver(const char *dir, const struct msg *msg,
		    const char *const *flags, char **path_r,
		    const char **error_r);
/* Creates dir as a Maildir (tmp new cur). */
int maildir_create(const char *dir, const char **error_r);
/* A unique Maildir file name "time.M<usec>P<pid>Q<n>.host", with "/"
   and ":" in the host name written as "\057" and "\072". Caller
   frees. */
char *maildir_unique_name(void);
/* The info letters for IMAP flags: \Seen S, \Answered R, \Flagged F,
   \Deleted T, \Draft D (case-insensitive), in ASCII order, each once;
   other flags and keywords are ignored. "" for none. Caller frees. */
char *maildir_flags_info(const char *const *flags);

/* mbox delivery: takes a dotlock (path.lock, O_EXCL, broken when older
   than 5 minutes; skipped when the directory does not let us create it,
   e.g. /var/mail without group mail) and then an fcntl write lock on the
   whole file, both within lock_timeout seconds together (polling). The
   file is created (0600) when missing. Appends: a newline or two when
   the file does not already end in a blank line; the "From " line (the
   message's own, else built from the envelope sender, see
   mbox_from_line); the message without its From_ line, in mboxrd form
   (every line matching ^>*From  gets one more ">"); a final newline when
   the message lacks one; one blank line. The message is streamed from
   its buffer, never copied whole. fsyncs; on any failure truncates the
   file back to its length before the append. A SIGHUP, SIGINT or SIGTERM
   that arrives during the append is held back until the end, and then
   the append is taken back too (-1, errno EINTR) before the signal is
   let through: the process dies with the mbox as it was, and the MTA's
   retry does not store the message twice. (SIGKILL cannot be held: it
   can leave a partial message at the end of the mbox.) */
int mbox_deliver(const char *path, const struct msg *msg, long lock_timeout,
		 const char **error_r);
/* The From_ separator line with its newline: the message's own From_
   line when it has one (a NUL byte in it becomes "_"), else "From SENDER DATE"
   with the envelope sender (MAILER-DAEMON when unknown or <>; blanks and
   control characters in it become "_") and the asctime(3)-style local date of
   clock_now(), e.g. "From a@b.example Mon Nov 23 17:00:00 2026".
   Caller frees. */
char *mbox_from_line(const struct msg *msg);

/* Runs a command with the message on standard input. argv form when
   shell is false (the command is split by pipe_split and looked up in
   PATH), /bin/sh -c otherwise. The message is passed as it arrived,
   with its leading From_ line, as procmail passes it (use pipe_run_data
   for other bytes, e.g. msg_data() for a Sieve pipe). The command runs
   in its own process group with default SIGPIPE and an empty signal
   mask, stdout/stderr inherited, environment envp (NULL: ours). The
   message is written in chunks; a command that exits or closes its
   input without reading everything is not an error (its status
   decides). timeout <= 0: no limit; otherwise after timeout seconds
   (writing and waiting together) the process group gets SIGTERM and,
   one second later, SIGKILL. *status_r is the exit status, 128+signal
   when killed by a signal, -1 when it never ran. Returns 0 when it ran
   and exited (whatever its status), -1 when it could not be run (e.g.
   not found: "cannot run ...") or timed out (errno ETIMEDOUT). */
int pipe_run(const char *command, bool shell, const struct msg *msg,
	     long timeout, char *const *envp, int *status_r,
	     const char **error_r);
int pipe_run_data(const char *command, bool shell, const char *data, size_t len,
		  long timeout, char *const *envp, int *status_r,
		  const char **error_r);
/* True when command contains a character only a shell understands
   (| & ; < > ( ) $ ` \ * ? [ ] { } ~ # ! newline) or starts with a
   VAR=value assignment. Quotes alone do not need a shell. */
bool pipe_needs_shell(const char *command);
/* Splits command into words on blanks: '...' is literal, "..." allows
   \" \\ \$ \` escapes, a backslash outside quotes escapes the next
   character. Appends the words to argv. Returns 0, or -1 on an
   unterminated quote or an empty command. */
struct strlist;
int pipe_split(const char *command, struct strlist *argv, const char **error_r);

#endif
