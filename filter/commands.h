/*
 * commands.h - the subcommands of the ackmail program, one file each
 * (filter/cmd-<name>.c). Each returns a sysexits(3) code.
 */
#ifndef ACKMAIL_COMMANDS_H
#define ACKMAIL_COMMANDS_H

int cmd_deliver(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_notice(int argc, char **argv);
int cmd_escalate(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_customer(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_message(int argc, char **argv);
int cmd_testsuite(int argc, char **argv);
int cmd_procmail(int argc, char **argv);
int cmd_formail(int argc, char **argv);
int cmd_poll(int argc, char **argv);

#endif
