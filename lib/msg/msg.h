/*
 * msg.h - one mail message: its raw bytes kept whole, its headers, its
 * addresses, its MIME structure (GMime, loaded only when needed), its
 * thread keys and its RFC 3834 classification.
 *
 * A struct msg owns one copy of the message bytes. Header access uses a
 * light parser of our own over those bytes, so filtering on headers does
 * not pay for GMime; MIME access (body, parts, charsets) parses with GMime
 * on first use without copying the bytes again.
 *
 * Only msg-body.c and msg-decode.c use GLib/GMime: a program that reads,
 * stores and logs messages (filter/lite.c, the plain delivery) links
 * neither as long as it calls nothing declared "(GMime)" below.
 */
#ifndef ACKMAIL_MSG_H
#define ACKMAIL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

struct msg;

/* ---- msg-parse.c ---- */

/* Reads a whole message from fd (standard input for deliver). Returns
   0, or -1 with errno on a read error. The message may be empty or
   malformed: that is not an error. */
int msg_read_fd(int fd, struct msg **msg_r);
/* Takes ownership of buf (malloc'd, len bytes, need not be terminated). */
struct msg *msg_new_take(char *buf, size_t len);
struct msg *msg_new_copy(const void *buf, size_t len);
void msg_free(struct msg **msg);

/* All bytes as received, including a leading "From " line. */
const char *msg_raw(const struct msg *msg, size_t *len_r);
/* The leading "From " line (without its newline), or NULL; its length. */
const char *msg_from_line(const struct msg *msg, size_t *len_r);
/* The message without the leading "From " line: what Maildir stores. */
const char *msg_data(const struct msg *msg, size_t *len_r);
/* The header block (without From_ line, with the separating empty line
   when present) and the body. */
const char *msg_header_block(const struct msg *msg, size_t *len_r);
const char *msg_body(const struct msg *msg, size_t *len_r);
/* Size as Sieve's "size" test sees it (without the From_ line). */
size_t msg_size(const struct msg *msg);
/* True when lines end in CRLF (decided from the first line). */
bool msg_is_crlf(const struct msg *msg);

/* Envelope: sender ("" for the null sender <>) and recipient; NULL when
   unknown. Strings are copied. */
void msg_set_envelope(struct msg *msg, const char *from, const char *to);
const char *msg_envelope_from(const struct msg *msg);
const char *msg_envelope_to(const struct msg *msg);

/* ---- msg-header.c ---- */

struct msg_header {
	const char *name; /* points into the raw bytes */
	size_t name_len;
	const char *value; /* raw value after "name:", folded, with the
			      line ending(s) removed at the end */
	size_t value_len;
};

/* Number of header fields, and the i-th in message order. */
size_t msg_header_count(const struct msg *msg);
const struct msg_header *msg_header_at(const struct msg *msg, size_t i);
/* The unfolded value of header i (CR LF + WSP -> WSP, leading
   whitespace trimmed). decoded: RFC 2047 words decoded to UTF-8 and raw
   8-bit text converted to UTF-8. Caller frees. */
char *msg_header_value(const struct msg *msg, size_t i, bool decoded);
/* All values of header name (case-insensitive) in order, appended to
   values. Returns the number found. */
int msg_header_get_all(const struct msg *msg, const char *name, bool decoded,
		       struct strlist *values);
/* The first value of name, or NULL. Caller frees. */
char *msg_header_get(const struct msg *msg, const char *name, bool decoded);
bool msg_header_exists(const struct msg *msg, const char *name);
/* Decodes RFC 2047 encoded words in s (and raw 8-bit as UTF-8 or
   Latin-1) into UTF-8 (msg-decode.c: GLib/GMime). Caller frees. */
char *msg_header_decode(const char *s);

/* ---- msg-addr.c ---- */

struct msg_addr {
	char *name;   /* display name, decoded, or NULL */
	char *addr;   /* "local@domain" as written (no brackets), or
			 the bare local part; "" for <> */
	char *local;  /* local part */
	char *domain; /* domain, or NULL */
};

struct msg_addrlist {
	struct msg_addr *v;
	size_t n, cap;
};

/* Parses an RFC 5322 address list (groups, comments, quoted local
   parts, obsolete routes); tolerant of the common mistakes. Appends the
   addresses found. Returns the number appended. */
int msg_addr_parse(const char *s, struct msg_addrlist *list);
/* The addresses of every header named name. */
int msg_addr_header(const struct msg *msg, const char *name,
		    struct msg_addrlist *list);
void msg_addrlist_free(struct msg_addrlist *list);
/* Normalises an address for comparison: lower-cased domain and local
   part, without brackets. Caller frees. */
char *msg_addr_normalize(const char *addr);
/* The domain part of an address, lower-cased, or NULL. Caller frees. */
char *msg_addr_domain(const char *addr);

/* ---- msg-body.c (GMime) ---- */

/* Whether GMime could make sense of the message: 1 yes, 0 no (the
   message is still delivered; body tests see the raw text). */
int msg_mime_ok(struct msg *msg);

struct msg_part {
	char *content_type; /* "type/subtype", lower case */
	char *charset;	    /* or NULL */
	char *filename;	    /* or NULL */
	char *disposition;  /* "inline"/"attachment" or NULL */
	bool is_multipart;
	int depth;
	char *text; /* decoded content as UTF-8 when the part is
		       text/\*, else the transfer-decoded bytes */
	size_t text_len;
	char *raw; /* the part's raw content (headers excluded) */
	size_t raw_len;
	/* a Content-Transfer-Encoding that is none of RFC 2045's (7bit,
	   8bit, binary, base64, quoted-printable); text is then the
	   content as it is */
	bool cte_unknown;
	/* multipart: the text before the first boundary and after the
	   last (NULL when there is none) */
	char *prologue, *epilogue;
	/* what Sieve's body :content gives for an embedded message (as
	   Pigeonhole): message/rfc822 its header (CRLF line ends),
	   message/global all of it; else NULL */
	char *message_text;
};

struct msg_parts {
	struct msg_part *v;
	size_t n;
};

/* Every MIME part in depth-first order (multipart containers included,
   with empty text). On a message GMime cannot parse, one text/plain
   part holding the raw body. The list stays owned by msg. */
const struct msg_parts *msg_parts(struct msg *msg);
/* The readable text of the message: text/plain parts, or HTML
   converted to text when there is no plain part. Owned by msg. */
const char *msg_text(struct msg *msg);
/* The new text of a reply: quoted history and client separators
   removed; the whole text when stripping leaves nothing. Caller frees. */
char *msg_text_new(struct msg *msg);
/* Converts HTML to plain text. Caller frees. */
char *msg_html_to_text(const char *html, size_t len);

/* ---- msg-thread.c ---- */

/* Message-ID without angle brackets, or NULL. Owned by msg. (In
   msg-parse.c, with the raw header access the plain delivery needs.) */
const char *msg_message_id(struct msg *msg);
/* In-Reply-To and References ids (without brackets), deduplicated,
   References order then In-Reply-To. */
void msg_thread_refs(struct msg *msg, struct strlist *ids);
/* Subject, decoded, owned by msg ("" when missing). */
const char *msg_subject(struct msg *msg);
/* Subject with reply/forward prefixes (Re, AW, SV, Antw, Fwd, WG, TR,
   RV, ...) and [#1234] tags removed, lower-cased, whitespace squeezed.
   Caller frees. */
char *msg_subject_normalize(const char *subject);
/* Date header as time_t, or -1 (msg-decode.c: GMime). */
time_t msg_date(struct msg *msg);
/* An RFC 5322 date (leniently, as GMime reads it) as time_t, or -1
   (msg-decode.c). */
time_t msg_date_parse(const char *s);

/* ---- msg-classify.c ---- */

enum msg_class {
	MSG_CLASS_HUMAN = 0,
	MSG_CLASS_AUTOREPLY, /* auto-reply, out of office, auto-generated */
	MSG_CLASS_BOUNCE,    /* DSN, non-delivery report */
	MSG_CLASS_MDN,	     /* read receipt */
	MSG_CLASS_LIST,	     /* mailing list, bulk */
	MSG_CLASS_LOOP,	     /* our own mail coming back */
	MSG_CLASS_CALENDAR,  /* iMIP reply (accept/decline): client-made */
	MSG_CLASS_SPAM,	     /* an upstream filter's spam verdict */
	MSG_CLASS_COUNT,
};

struct msg_classification {
	enum msg_class class;
	const char *reason;	   /* static text: which rule decided */
	char *failed_recipient;	   /* bounces: the address that failed */
	char *original_message_id; /* bounces, MDNs: the original id */
	time_t away_until;	   /* auto-replies: return date, or 0 */
	bool auto_submitted;	   /* any robot signal at all */
};

struct msg_classify_settings {
	const char *loop_header; /* e.g. "X-Ackmail-Loop", or NULL */
	const char *loop_value;	 /* our value in it, or NULL (any) */
	/* our own addresses (support, tracking): From or X-Loop with one
	   of them is our mail coming back; may be NULL */
	const struct strlist *our_addresses;
	/* returns true when a Message-ID is one of ours (signed) */
	bool (*is_our_message_id)(const char *id, void *ctx);
	void *ctx;
};

/* "human", "autoreply", "bounce", "mdn", "list", "loop", "calendar",
   "spam". */
const char *msg_class_name(enum msg_class class);
/* Parses a class name. 0/-1. */
int msg_class_parse(const char *name, enum msg_class *class_r);
/* True for every class but human: never answered, never opens issues. */
bool msg_class_is_robot(enum msg_class class);
/* Classifies msg (cached after the first call). settings may be NULL. */
const struct msg_classification *
msg_classify(struct msg *msg, const struct msg_classify_settings *settings);

#endif
