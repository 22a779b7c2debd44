/*
 * msg-private.h - struct msg, shared by the files of lib/msg only.
 */
#ifndef ACKMAIL_MSG_PRIVATE_H
#define ACKMAIL_MSG_PRIVATE_H

#include "msg.h"

struct msg {
	char *buf; /* all bytes, NUL-terminated (buf[len] == 0) */
	size_t len;
	size_t from_len;  /* length of the From_ line incl. newline */
	size_t hdr_start; /* == from_len */
	size_t hdr_len;	  /* header block incl. the empty line */
	size_t body_start;
	bool crlf;

	struct msg_header *hdrs;
	size_t nhdrs;
	bool hdr_junk; /* the header had lines that are no field */

	char *env_from, *env_to;

	/* lazily computed */
	void *gmime;		/* GMimeMessage *, or NULL */
	int mime_state;		/* 0 not tried, 1 ok, -1 failed */
	struct msg_parts parts; /* parts, once computed */
	bool parts_done;
	char *text; /* msg_text() */
	char *message_id;
	bool message_id_done;
	char *subject;
	struct msg_classification cls;
	bool cls_done;
	/* frees the MIME state above (msg-body.c sets it when it builds
	   any): msg_free() thus links without GMime */
	void (*body_free)(struct msg *msg);
};

void msg_body_free(struct msg *msg);
/* msg-parse.c: a header value unfolded (see msg_header_value), the
   first raw value of name unfolded, or NULL (caller frees); the
   <ids> of a Message-ID, References or In-Reply-To value. */
char *msg_unfold(const char *v, size_t len);
char *msg_header_raw(const struct msg *msg, const char *name);
void msg_extract_ids(const char *s, struct strlist *ids);
/* GMime's one-time initialisation (msg-body.c). */
void msg_gmime_init(void);

#endif
