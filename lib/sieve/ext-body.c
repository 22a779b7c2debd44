/*
 * ext-body.c - the body extension (RFC 5173): match the message body,
 * :raw (undecoded), :content TYPES (decoded parts of those types) or
 * :text (the default: decoded text/ parts, HTML as text), parts from
 * GMime via msg.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

enum { BODY_RAW = 0, BODY_CONTENT = 1, BODY_TEXT = 2 };

static const struct sieve_tag_def body_tag_table[] = {
    {"raw", NULL, SLOT_BODYXFORM, 0, BODY_RAW},
    {"content", NULL, SLOT_BODYXFORM, 'L', BODY_CONTENT},
    {"text", NULL, SLOT_BODYXFORM, 0, BODY_TEXT},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const body_tags[] = {body_tag_table,
							sieve_tags_match, NULL};

static int
body_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, 0);
}

/* RFC 5173 5.2: "" all, "type" a main type, "type/sub" exactly. */
static bool
type_wanted(const struct strlist *types, const char *ct)
{
	for (size_t i = 0; i < types->n; i++) {
		const char *t = types->v[i];
		size_t tl = strlen(t);

		if (tl == 0)
			return true;
		if (strchr(t, '/') != NULL
			? strcasecmp(t, ct) == 0
			: strncasecmp(t, ct, tl) == 0 && ct[tl] == '/')
			return true;
	}
	return false;
}

static int
body_test(struct sieve_run *run, struct sieve_node *n)
{
	int xform = n->cmd.has[SLOT_BODYXFORM] ? n->cmd.value[SLOT_BODYXFORM]
					       : BODY_TEXT;
	struct strlist vals = {0}, types = {0};
	struct match_captures saved = {0};
	int r;

	if (xform == BODY_RAW) {
		size_t len;
		const char *b = msg_body(run->msg, &len);

		strlist_add_owned(&vals, xstrndup(b, len));
	} else {
		const struct msg_parts *parts = msg_parts(run->msg);

		if (xform == BODY_CONTENT)
			sieve_expand_list(run, n->cmd.tag[SLOT_BODYXFORM],
					  &types);
		else {
			/* :text: text/ parts and XHTML, the markup of HTML
			   and XHTML removed (as Pigeonhole) */
			strlist_add(&types, "text");
			strlist_add(&types, "application/xhtml+xml");
		}
		int leaf_depth = -1;

		for (size_t i = 0; parts != NULL && i < parts->n; i++) {
			const struct msg_part *p = &parts->v[i];
			const char *ct = p->content_type != NULL
					     ? p->content_type
					     : "text/plain";

			/* a message/global part (RFC 6532) is one part for
			   Pigeonhole, not a message with parts of its own */
			if (leaf_depth >= 0 && p->depth > leaf_depth)
				continue;
			leaf_depth = -1;
			if (strcasecmp(ct, "message/global") == 0)
				leaf_depth = p->depth;
			if (!type_wanted(&types, ct))
				continue;
			if (p->is_multipart) {
				/* a multipart's own text: its prologue and its
				   epilogue (RFC 5173 5.2, as Pigeonhole) */
				if (strncasecmp(ct, "multipart/", 10) == 0)
					strlist_add(&vals, p->prologue != NULL
							       ? p->prologue
							       : "");
				/* an embedded message's content: its header
				   (its parts follow as parts of their own), or
				   all of a message/global */
				if (p->message_text != NULL)
					strlist_add(&vals, p->message_text);
				if (p->epilogue != NULL && *p->epilogue != '\0')
					strlist_add(&vals, p->epilogue);
				continue;
			}
			/* an unknown transfer encoding cannot be decoded:
			   the part has no content (as in Pigeonhole) */
			if (p->cte_unknown) {
				strlist_add(&vals, "");
				continue;
			}
			if (xform == BODY_TEXT && p->text_len > 0 &&
			    (strcasecmp(ct, "text/html") == 0 ||
			     strcasecmp(ct, "application/xhtml+xml") == 0)) {
				strlist_add_owned(
				    &vals,
				    sieve_html_text(p->text, p->text_len));
				continue;
			}
			strlist_add_owned(
			    &vals, xstrndup(p->text != NULL ? p->text : "",
					    p->text_len));
		}
	}
	/* the body test sets no match variables (RFC 5173), as in Pigeonhole:
	   the values of an earlier test stay */
	match_captures_move(&saved, &run->caps);
	r = sieve_match_values(run, n, &vals, 0);
	match_captures_move(&run->caps, &saved);
	strlist_free(&vals);
	strlist_free(&types);
	return r;
}

static const struct sieve_cmd_def body = {
    .name = "body",
    .kind = DEF_TEST,
    .pos = "L",
    .tags = body_tags,
    .validate = body_validate,
    .test = body_test,
};

static const struct sieve_cmd_def *const defs[] = {&body, NULL};

const struct sieve_extension sieve_ext_body = {
    .name = "body",
    .defs = defs,
};
