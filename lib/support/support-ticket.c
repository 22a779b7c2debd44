/*
 * support-ticket.c - other systems' ticket numbers: a vendor's case
 * number, an old helpdesk's ID. Rules give a regex per system; numbers
 * found in a message map it to the issue that first carried them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "support-private.h"

struct support_ticket_rule {
	char *system;
	char *pattern;
	pcre2_code *re;
	bool in_body;
};

int
support_add_ticket_rule(struct support *support, const char *system,
			const char *pattern, bool in_body, const char **error_r)
{
	struct support_ticket_rule *r;
	pcre2_code *re;
	int err;
	PCRE2_SIZE off;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_CASELESS, &err, &off, NULL);
	if (re == NULL) {
		char msg[256];

		pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof(msg));
		support_set_error(support, false,
				  xasprintf("ticket rule %s: /%s/ at %zu: %s",
					    system, pattern, (size_t)off, msg));
		*error_r = support->error;
		return -1;
	}
	support->tickets = xreallocarray(
	    support->tickets, support->ntickets + 1, sizeof(*support->tickets));
	r = xcalloc(1, sizeof(*r));
	r->system =
	    xstrdup(system != NULL && *system != '\0' ? system : "ticket");
	r->re = re;
	r->pattern = xstrdup(pattern);
	r->in_body = in_body;
	support->tickets[support->ntickets++] = r;
	return 0;
}

bool
support_ticket_rule_known(const struct support *support, const char *system,
			  const char *pattern)
{
	for (size_t i = 0; i < support->ntickets; i++)
		if (strcmp(support->tickets[i]->pattern, pattern) == 0 &&
		    strcmp(support->tickets[i]->system,
			   system != NULL && *system != '\0' ? system
							     : "ticket") == 0)
			return true;
	return false;
}

void
support_ticket_rules_free(struct support *support)
{
	for (size_t i = 0; i < support->ntickets; i++) {
		pcre2_code_free(support->tickets[i]->re);
		free(support->tickets[i]->system);
		free(support->tickets[i]->pattern);
		free(support->tickets[i]);
	}
	free(support->tickets);
	support->tickets = NULL;
	support->ntickets = 0;
}

/* Appends "system\tid" for every ticket number in text. */
static void
scan(const struct support_ticket_rule *r, const char *text,
     struct strlist *found)
{
	pcre2_match_data *md =
	    pcre2_match_data_create_from_pattern(r->re, NULL);
	size_t len = strlen(text), pos = 0;

	while (pos <= len && pcre2_match(r->re, (PCRE2_SPTR)text, len, pos, 0,
					 md, NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint32_t n = pcre2_get_ovector_count(md);
		size_t s = ov[0], e = ov[1];
		char *item;

		if (n > 1 && ov[2] != PCRE2_UNSET) {
			s = ov[2];
			e = ov[3];
		}
		item = xasprintf("%s\t%.*s", r->system, (int)(e - s), text + s);
		if (!strlist_contains_case(found, item))
			strlist_add_owned(found, item);
		else
			free(item);
		pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_match_data_free(md);
}

void
support_ticket_scan(struct support *support, struct msg *msg,
		    struct strlist *found)
{
	for (size_t i = 0; i < support->ntickets; i++) {
		const struct support_ticket_rule *r = support->tickets[i];

		scan(r, msg_subject(msg), found);
		if (r->in_body)
			scan(r, msg_text(msg), found);
	}
}
