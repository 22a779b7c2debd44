/*
 * action.c - one action: allocation, names, JSON and descriptions.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "msg.h"

static const char *const kind_names[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = "store",
    [ACTION_DISCARD] = "discard",
    [ACTION_REDIRECT] = "redirect",
    [ACTION_REJECT] = "reject",
    [ACTION_EREJECT] = "ereject",
    [ACTION_PIPE] = "pipe",
    [ACTION_VACATION] = "vacation",
    [ACTION_ADDHEADER] = "addheader",
    [ACTION_DELETEHEADER] = "deleteheader",
    [ACTION_SUPPORT] = "support",
    [ACTION_DUPLICATE_MARK] = "duplicate_mark",
};

const char *
action_kind_name(enum action_kind kind)
{
	return (unsigned)kind < ACTION_KIND_COUNT ? kind_names[kind] : "?";
}

struct action *
action_new(enum action_kind kind)
{
	struct action *a = xcalloc(1, sizeof(*a));

	a->kind = kind;
	a->hdr_index = 0;
	return a;
}

void
action_free(struct action **ap)
{
	struct action *a = *ap;

	if (a == NULL)
		return;
	free(a->folder);
	free(a->mbox);
	strlist_free(&a->flags);
	free(a->address);
	free(a->reason);
	free(a->command);
	free(a->vac_to);
	free(a->vac_from);
	free(a->vac_subject);
	free(a->vac_body);
	free(a->vac_handle);
	free(a->hdr_name);
	free(a->hdr_value);
	free(a->op);
	strlist_free(&a->args);
	free(a->dup_id);
	edited_msg_unref(&a->edited);
	free(a);
	*ap = NULL;
}

void
edited_msg_unref(struct edited_msg **emp)
{
	struct edited_msg *em = *emp;

	if (em == NULL)
		return;
	*emp = NULL;
	if (--em->refs > 0)
		return;
	msg_free(&em->msg);
	free(em);
}

const struct msg *
action_msg(const struct action *a, const struct msg *msg)
{
	return a->edited != NULL ? a->edited->msg : msg;
}

static void
json_flags(struct str *out, const struct strlist *flags)
{
	str_append(out, "[");
	for (size_t i = 0; i < flags->n; i++) {
		if (i > 0)
			str_append(out, ",");
		str_append_json(out, flags->v[i]);
	}
	str_append(out, "]");
}

void
action_to_json(const struct action *a, struct str *out)
{
	str_append(out, "{\"action\":");
	str_append_json(out, action_kind_name(a->kind));
	switch (a->kind) {
	case ACTION_STORE:
		str_append(out, ",\"folder\":");
		str_append_json(out, a->folder != NULL ? a->folder : "INBOX");
		if (a->mbox != NULL) {
			str_append(out, ",\"mbox\":");
			str_append_json(out, a->mbox);
		}
		str_append(out, ",\"flags\":");
		json_flags(out, &a->flags);
		str_printf(out, ",\"implicit\":%s,\"copy\":%s",
			   a->implicit ? "true" : "false",
			   a->copy ? "true" : "false");
		if (a->create)
			str_append(out, ",\"create\":true");
		break;
	case ACTION_DISCARD:
		break;
	case ACTION_REDIRECT:
		str_append(out, ",\"address\":");
		str_append_json(out, a->address);
		str_printf(out, ",\"copy\":%s", a->copy ? "true" : "false");
		break;
	case ACTION_REJECT:
	case ACTION_EREJECT:
		str_append(out, ",\"reason\":");
		str_append_json(out, a->reason);
		break;
	case ACTION_PIPE:
		str_append(out, ",\"command\":");
		str_append_json(out, a->command);
		str_printf(out, ",\"copy\":%s", a->copy ? "true" : "false");
		break;
	case ACTION_VACATION:
		str_append(out, ",\"to\":");
		str_append_json(out, a->vac_to);
		str_append(out, ",\"from\":");
		str_append_json(out, a->vac_from);
		str_append(out, ",\"subject\":");
		str_append_json(out, a->vac_subject);
		str_printf(out, ",\"seconds\":%ld,\"handle\":", a->vac_seconds);
		str_append_json(out, a->vac_handle);
		str_printf(out, ",\"mime\":%s", a->vac_mime ? "true" : "false");
		str_append(out, ",\"reason\":");
		str_append_json(out, a->vac_body);
		break;
	case ACTION_ADDHEADER:
		str_append(out, ",\"name\":");
		str_append_json(out, a->hdr_name);
		str_append(out, ",\"value\":");
		str_append_json(out, a->hdr_value);
		str_printf(out, ",\"last\":%s", a->hdr_last ? "true" : "false");
		break;
	case ACTION_DELETEHEADER:
		str_append(out, ",\"name\":");
		str_append_json(out, a->hdr_name);
		str_append(out, ",\"value\":");
		str_append_json(out, a->hdr_value);
		str_printf(out, ",\"index\":%d,\"last\":%s", a->hdr_index,
			   a->hdr_last ? "true" : "false");
		break;
	case ACTION_SUPPORT:
		str_append(out, ",\"op\":");
		str_append_json(out, a->op);
		for (size_t i = 0; i < a->args.n; i++) {
			const char *eq = strchr(a->args.v[i], '=');
			char *k;

			if (eq == NULL)
				continue;
			k = xstrndup(a->args.v[i], (size_t)(eq - a->args.v[i]));
			str_append(out, ",");
			str_append_json(out, k);
			str_append(out, ":");
			str_append_json(out, eq + 1);
			free(k);
		}
		break;
	case ACTION_DUPLICATE_MARK:
		str_append(out, ",\"id\":");
		str_append_json(out, a->dup_id);
		str_printf(out, ",\"seconds\":%ld", a->dup_seconds);
		break;
	case ACTION_KIND_COUNT:
		break;
	}
	str_append(out, "}");
}

void
action_describe(const struct action *a, struct str *out)
{
	switch (a->kind) {
	case ACTION_STORE:
		if (a->implicit)
			str_append(out, "keep");
		else
			str_printf(out, "fileinto \"%s\"",
				   a->folder != NULL ? a->folder : "INBOX");
		break;
	case ACTION_REDIRECT:
		str_printf(out, "redirect <%s>", a->address);
		break;
	case ACTION_REJECT:
	case ACTION_EREJECT:
		str_printf(out, "%s", action_kind_name(a->kind));
		break;
	case ACTION_PIPE:
		str_printf(out, "pipe \"%s\"", a->command);
		break;
	case ACTION_SUPPORT:
		str_printf(out, "%s", a->op);
		break;
	default:
		str_append(out, action_kind_name(a->kind));
	}
}
