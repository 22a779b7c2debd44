/*
 * formail.h - reading mail as formail(1) reads it: the part of `ackmail
 * formail` that meets untrusted bytes, kept apart from the command-line
 * driver (filter/cmd-formail.c) so it can be fuzzed on its own
 * (tests/fuzz/fuzz-formail.c).
 *
 *   formail-parse.c  one message: the From_ line, the header fields with
 *                    their continuation lines, where the body starts,
 *                    field values, what a Content-Length covers
 *   formail-sender.c whom a message is from, as formail weighs it
 *   formail-split.c  a mailbox (or digest, or BABYL rmail file) cut into
 *                    messages where formail -s cuts it
 *
 * libc and lib/util only: the lite program filter/ackmail links this
 * (filter/lite.c), so nothing here may need GLib, GMime or SQLite.
 * Nothing here prints, exits or fails on bad mail: every input has a
 * reading, as formail has one.
 */
#ifndef ACKMAIL_FORMAIL_H
#define ACKMAIL_FORMAIL_H

#include <stdbool.h>
#include <stddef.h>

/* ---- formail-parse.c ---- */

/* One header field as formail keeps it. */
struct formail_field {
	/* "Name: value\n" with its continuation lines, NUL-terminated and
	   always ending in a newline; a name written "Name :" is "Name:"
	   here.
	   Owned; the driver may replace it (free() the old text, set len)
	   or empty it (text[0] = '\0': the field is gone; a field name
	   never starts with a NUL). */
	char *text;
	size_t len;	 /* text's length: a NUL in a field is a byte */
	size_t name_len; /* the name's length */
};

struct formail_msg {
	char *from_line; /* the leading "From " line without its newline,
			    or NULL ("From  :" is the From: field) */
	struct formail_field *f;
	size_t n, cap;
	const char *body; /* into the parsed bytes: after the empty line
			     that ends the header, or at the first line that
			     is no header field */
	size_t body_len;
	/* the header ended at a line that is no field, or of blanks
	   only, not at an empty line: that line starts the body */
	bool header_cut;
};

/* The length of the field name at s (a header line "Name:" or
   "Name :"), 0 when the line is no field (no colon, or a control
   character in the name); *colon_r is then where its colon is. */
size_t formail_field_name_len(const char *s, size_t len, size_t *colon_r);

/* Reads the message s[0, len) (no NUL needed) into m, which the caller
   frees with formail_msg_free(); m->body points into s. The header ends
   at an empty line (taken away), at a line of blanks (a CRLF empty
   line: it stays in the body) or at the first line that is no field. */
void formail_msg_parse(const char *s, size_t len, struct formail_msg *m);
void formail_msg_free(struct formail_msg *m);

/* Where the header of s[0, len) stops, as formail_msg_parse() reads it:
   the index of the empty line (or of the line of blanks, or of the line
   that is no field) that ends it, or len. */
size_t formail_header_len(const char *s, size_t len);

/* The bytes a "Content-Length: n" (n > 0) covers in a body (body_len
   bytes; header_cut as in struct formail_msg), which formail copies as
   they are: n bytes, counted from the line that ended the header if
   any and at least to its end, and over a newline that comes right
   after the n-th byte. Returns their length; *empty_r: whether what
   they end with counts as an empty line (a message may start after
   it). */
size_t formail_content_end(const char *body, size_t body_len, bool header_cut,
			   long n, bool *empty_r);

/* Is f the field called name (nlen bytes, any case)? */
bool formail_field_is(const struct formail_field *f, const char *name,
		      size_t nlen);

/* The value of the first field called name: unfolded (continuation
   newlines become spaces, a CR stays), blanks trimmed at both ends.
   NULL when there is none. Caller frees. */
char *formail_msg_get(const struct formail_msg *m, const char *name);

/* The value of the last field called name that has one (formail keeps
   the last), as it came: from the colon to the final newline, blanks
   and folding kept. NULL when there is none. Caller frees. */
char *formail_msg_get_last(const struct formail_msg *m, const char *name);

/* ---- formail-sender.c ---- */

enum formail_sender_mode {
	FORMAIL_SENDER_ENVELOPE, /* -r, and a made-up From_ line */
	FORMAIL_SENDER_HEADER,	 /* -rt: the header's sender */
	FORMAIL_SENDER_RESENT,	 /* -rt -a Resent-: Resent- fields first */
};

/* Whom formail takes m to be from (m's fields as the options left
   them): the address of the heaviest field, "<>" for an empty
   Return-Path, NULL when no field names anybody. Caller frees. */
char *formail_sender(const struct formail_msg *m,
		     enum formail_sender_mode mode);

/* ---- formail-split.c ---- */

/* Does a line that may start a message begin at s: "From " and at least
   two words after it (formail's postmark)? */
bool formail_from_candidate(const char *s, size_t n);

/* Is the line at s a header field that tells a message start from a
   body line (a known field name, or any X- or Old- field)? */
bool formail_known_field(const char *s, size_t n);

struct formail_split_opts {
	bool every;	 /* -e: not only after an empty line */
	bool digest;	 /* -d: known fields start a message too */
	long min_fields; /* -m: the fields in a row a start needs (2) */
	bool babyl;	 /* -B: a BABYL rmail file */
	bool force;	 /* -f: "Mail-from: From ..." stays a field (-B) */
	/* The Content-Length the message s[0, len) has for formail (> 0),
	   or 0: its body is then copied that far before a new message is
	   looked for. NULL: none is used. */
	long (*body_length)(const char *s, size_t len, void *ctx);
	void *body_length_ctx;
};

/* Does a message start at s (a From_ line or, with digest, a known
   field, then known fields: min_fields fields in all, continuation
   lines not counted)? */
bool formail_message_starts(const struct formail_split_opts *o, const char *s,
			    size_t n);

/* One message of a split. */
struct formail_part {
	const char *data; /* the message's bytes, valid until the next
			     formail_split_next() */
	size_t len;
	/* BABYL: From_ lines in the body stay as they are */
	bool no_from_escape;
	/* BABYL: the message ended at a separator line; formail writes what
	   comes after (the empty line that completes a message, the
	   Folder line of -l) nowhere */
	bool cut;
};

struct formail_split;

/* Splits s[0, len) as formail -s does (empty lines before the first
   message are passed over). The iterator keeps pointers into s, which
   must stay valid; opts is copied. */
struct formail_split *formail_split_init(const char *s, size_t len,
					 const struct formail_split_opts *opts);
/* The next message. Returns 1 with *part_r filled, 0 at the end. */
int formail_split_next(struct formail_split *sp, struct formail_part *part_r);
void formail_split_deinit(struct formail_split **sp);

#endif
