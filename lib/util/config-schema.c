/*
 * config-schema.c - every configuration key ackmail knows, as data.
 * Document each one in contrib/ackmail.conf.example and ackmail.conf(5).
 */
#include <stddef.h>

#include "config-schema.h"

const struct config_key config_schema[] = {
    {"database", "path", CONFIG_STRING, NULL, false},
    {"database", "busy_timeout", CONFIG_DURATION, NULL, false},

    {"rules", "path", CONFIG_STRING, NULL, false},
    {"rules", "lang", CONFIG_ENUM, "auto|sieve|procmail", false},
    {"rules", "global_dir", CONFIG_STRING, NULL, false},
    {"rules", "personal_dir", CONFIG_STRING, NULL, false},

    {"deliver", "maildir", CONFIG_STRING, NULL, false},
    {"deliver", "mbox", CONFIG_STRING, NULL, false},
    {"deliver", "lock_timeout", CONFIG_DURATION, NULL, false},
    {"deliver", "pipe_timeout", CONFIG_DURATION, NULL, false},
    {"deliver", "fsync", CONFIG_BOOL, NULL, false},

    {"sieve", "vacation_min_period", CONFIG_DURATION, NULL, false},
    {"sieve", "vacation_max_period", CONFIG_DURATION, NULL, false},
    {"sieve", "vacation_default_period", CONFIG_DURATION, NULL, false},
    {"sieve", "subaddress_delimiter", CONFIG_STRING, NULL, false},
    {"sieve", "max_redirects", CONFIG_INT, NULL, false},
    {"sieve", "mailbox_autocreate", CONFIG_BOOL, NULL, false},
    {"sieve", "duplicate_default_period", CONFIG_DURATION, NULL, false},
    {"sieve", "duplicate_max_period", CONFIG_DURATION, NULL, false},
    {"sieve", "editheader_protected", CONFIG_STRING, NULL, false},
    {"sieve", "editheader_forbid_add", CONFIG_STRING, NULL, false},
    {"sieve", "editheader_forbid_delete", CONFIG_STRING, NULL, false},
    {"sieve", "editheader_max_header_size", CONFIG_INT, NULL, false},

    {"support", "address", CONFIG_STRING, NULL, false},
    {"support", "name", CONFIG_STRING, NULL, false},
    {"support", "phone", CONFIG_STRING, NULL, false},
    {"support", "staff", CONFIG_STRING, NULL, false},
    {"support", "tracking_address", CONFIG_STRING, NULL, false},
    {"support", "first_issue_number", CONFIG_INT, NULL, false},
    {"support", "timezone", CONFIG_STRING, NULL, false},
    {"support", "secret", CONFIG_STRING, NULL, false},
    {"support", "tag_pattern", CONFIG_STRING, NULL, false},
    {"support", "reopen_window", CONFIG_DURATION, NULL, false},
    {"support", "subject_window", CONFIG_DURATION, NULL, false},
    {"support", "match_subject", CONFIG_BOOL, NULL, false},
    {"support", "loop_header", CONFIG_STRING, NULL, false},
    {"support", "business_hours", CONFIG_STRING, NULL, false},
    {"support", "holidays", CONFIG_STRING, NULL, false},
    {"support", "response_time", CONFIG_STRING, NULL, false},
    {"support", "hostname", CONFIG_STRING, NULL, false},
    {"support", "new_issues", CONFIG_ENUM, "anyone|customers", false},
    {"support", "match_names", CONFIG_BOOL, NULL, false},
    {"support", "robot_replies", CONFIG_BOOL, NULL, false},

    {"ack", "enabled", CONFIG_BOOL, NULL, false},
    {"ack", "template", CONFIG_STRING, NULL, false},
    {"ack", "template_dir", CONFIG_STRING, NULL, false},
    {"ack", "period", CONFIG_DURATION, NULL, false},
    {"ack", "daily_cap", CONFIG_INT, NULL, false},
    {"ack", "global_per_minute", CONFIG_INT, NULL, false},
    {"ack", "robot_pattern", CONFIG_STRING, NULL, false},
    {"ack", "envelope_sender", CONFIG_STRING, NULL, false},

    {"notices", "deadline", CONFIG_DURATION, NULL, false},
    {"notices", "lead_time", CONFIG_DURATION, NULL, false},
    {"notices", "deadline_unit", CONFIG_ENUM, "hours|business", false},
    {"notices", "reminder", CONFIG_DURATION, NULL, false},
    {"notices", "read_receipt_acknowledges", CONFIG_BOOL, NULL, false},
    {"notices", "on_duty", CONFIG_STRING, NULL, false},
    /* the templates of reminders and on-duty mails (the on-duty mail's
       notices: NAME-item), in lang; "template" is obsolete (it never
       did anything): still accepted, ackmail check warns */
    {"notices", "reminder_template", CONFIG_STRING, NULL, false},
    {"notices", "on_duty_template", CONFIG_STRING, NULL, false},
    {"notices", "lang", CONFIG_STRING, NULL, false},
    {"notices", "template", CONFIG_STRING, NULL, false},

    {"digest", "waiting_age", CONFIG_DURATION, NULL, false},
    {"digest", "quiet_after", CONFIG_DURATION, NULL, false},
    /* where "ackmail digest --send" (no address) mails the digest, and
       who hears of escalations when [notices] on_duty is not set */
    {"digest", "to", CONFIG_STRING, NULL, false},

    {"outbound", "method", CONFIG_ENUM, "sendmail|smtp", false},
    {"outbound", "sendmail", CONFIG_STRING, NULL, false},
    {"outbound", "smtp_host", CONFIG_STRING, NULL, false},
    {"outbound", "smtp_port", CONFIG_INT, NULL, false},
    {"outbound", "smtp_tls", CONFIG_ENUM, "none|starttls|implicit", false},
    {"outbound", "smtp_user", CONFIG_STRING, NULL, false},
    {"outbound", "smtp_password", CONFIG_STRING, NULL, false},
    {"outbound", "smtp_ca_file", CONFIG_STRING, NULL, false},
    {"outbound", "smtp_timeout", CONFIG_DURATION, NULL, false},
    {"outbound", "flush_budget", CONFIG_DURATION, NULL, false},
    {"outbound", "give_up_after", CONFIG_DURATION, NULL, false},

    {"imap", "host", CONFIG_STRING, NULL, true},
    {"imap", "port", CONFIG_INT, NULL, true},
    {"imap", "tls", CONFIG_ENUM, "none|starttls|implicit", true},
    {"imap", "ca_file", CONFIG_STRING, NULL, true},
    {"imap", "allow_plain", CONFIG_BOOL, NULL, true},
    {"imap", "user", CONFIG_STRING, NULL, true},
    {"imap", "password", CONFIG_STRING, NULL, true},
    {"imap", "password_command", CONFIG_STRING, NULL, true},
    {"imap", "mailbox", CONFIG_STRING, NULL, true},
    {"imap", "processed", CONFIG_ENUM, "move|flag|leave", true},
    {"imap", "processed_flag", CONFIG_STRING, NULL, true},
    {"imap", "local_maildir", CONFIG_STRING, NULL, true},
    {"imap", "interval", CONFIG_DURATION, NULL, true},
    {"imap", "batch", CONFIG_INT, NULL, true},
    {"imap", "idle_connections", CONFIG_INT, NULL, true},

    {"log", "verbose", CONFIG_BOOL, NULL, false},
    {NULL, NULL, CONFIG_STRING, NULL, false},
};
