/*
 * cmd-customer.c - ackmail customer add|edit|list|show|import: the
 * customer register (names, companies, addresses and @domains, phone
 * numbers kept exactly as given, notes). Import reads CSV and vCard.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "commands.h"
#include "support-cli.h"
#include "support.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: ackmail customer add NAME [--company C] [--email A]... "
		"[--domain D]...\n"
		"                            [--phone P]... [--notes TEXT] "
		"[--vip]\n"
		"       ackmail customer edit ID [--name N] [--company C] "
		"[--email A]...\n"
		"                            [--remove-email A]... [--phone "
		"P]... [--notes TEXT]\n"
		"                            [--vip | --no-vip]\n"
		"       ackmail customer list [--json]\n"
		"       ackmail customer show ID|ADDRESS [--json]\n"
		"       ackmail customer import [--format csv|vcard] FILE...\n"
		"common options: -c CONFIG, --db FILE\n");
}

static void
customer_json(const struct store_customer *c, struct str *out)
{
	struct strlist phones = {0};
	char t[32];

	str_printf(out, "{\"id\":%lld,\"name\":", (long long)c->id);
	str_append_json(out, c->name);
	str_append(out, ",\"company\":");
	str_append_json(out, c->company);
	str_append(out, ",\"addresses\":[");
	for (size_t i = 0; i < c->addresses.n; i++) {
		if (i > 0)
			str_appendc(out, ',');
		str_append_json(out, c->addresses.v[i]);
	}
	str_append(out, "],\"phones\":[");
	if (c->phones != NULL)
		strlist_split(&phones, c->phones, "\n");
	for (size_t i = 0; i < phones.n; i++) {
		if (i > 0)
			str_appendc(out, ',');
		str_append_json(out, phones.v[i]);
	}
	strlist_free(&phones);
	str_append(out, "],\"notes\":");
	str_append_json(out, c->notes);
	str_printf(out, ",\"vip\":%s,\"created\":", c->vip ? "true" : "false");
	str_append_json(out, support_cli_time(c->created_at, t, sizeof(t)));
	str_append(out, "}\n");
}

static void
customer_text(const struct store_customer *c, bool full, struct str *out)
{
	if (!full) {
		str_printf(out, "%-5lld %-28s %-24s %s%s\n", (long long)c->id,
			   c->name, c->company != NULL ? c->company : "",
			   c->addresses.n > 0 ? c->addresses.v[0] : "",
			   c->vip ? "  VIP" : "");
		return;
	}
	str_printf(out, "Customer %lld%s\nName:      %s\n", (long long)c->id,
		   c->vip ? " (VIP)" : "", c->name);
	if (c->company != NULL)
		str_printf(out, "Company:   %s\n", c->company);
	for (size_t i = 0; i < c->addresses.n; i++)
		str_printf(out, "Address:   %s\n", c->addresses.v[i]);
	if (c->phones != NULL) {
		struct strlist phones = {0};

		strlist_split(&phones, c->phones, "\n");
		for (size_t i = 0; i < phones.n; i++)
			str_printf(out, "Phone:     %s\n", phones.v[i]);
		strlist_free(&phones);
	}
	if (c->notes != NULL)
		str_printf(out, "Notes:     %s\n", c->notes);
}

/* ---- add / edit ---- */

enum {
	OPT_COMPANY = 1000,
	OPT_EMAIL,
	OPT_DOMAIN,
	OPT_PHONE,
	OPT_NOTES,
	OPT_VIP,
	OPT_NOVIP,
	OPT_NAME,
	OPT_REMOVE,
	OPT_JSON,
	OPT_DB,
	OPT_FORMAT,
};

static const struct option longopts[] = {
    {"company", required_argument, NULL, OPT_COMPANY},
    {"email", required_argument, NULL, OPT_EMAIL},
    {"address", required_argument, NULL, OPT_EMAIL},
    {"domain", required_argument, NULL, OPT_DOMAIN},
    {"phone", required_argument, NULL, OPT_PHONE},
    {"notes", required_argument, NULL, OPT_NOTES},
    {"vip", no_argument, NULL, OPT_VIP},
    {"no-vip", no_argument, NULL, OPT_NOVIP},
    {"name", required_argument, NULL, OPT_NAME},
    {"remove-email", required_argument, NULL, OPT_REMOVE},
    {"json", no_argument, NULL, OPT_JSON},
    {"db", required_argument, NULL, OPT_DB},
    {"config", required_argument, NULL, 'c'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct cust_opts {
	const char *config, *db, *format;
	const char *name, *company, *notes;
	struct strlist emails, remove;
	char *phones;
	int vip; /* -1 unchanged */
	bool json;
};

static int
parse_opts(int argc, char **argv, struct cust_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->vip = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_DB:
			o->db = optarg;
			break;
		case OPT_COMPANY:
			o->company = optarg;
			break;
		case OPT_EMAIL:
			strlist_add(&o->emails, optarg);
			break;
		case OPT_DOMAIN:
			strlist_add_owned(&o->emails,
					  optarg[0] == '@'
					      ? xstrdup(optarg)
					      : xasprintf("@%s", optarg));
			break;
		case OPT_PHONE:
			support_phones_add(&o->phones, optarg);
			break;
		case OPT_NOTES:
			o->notes = optarg;
			break;
		case OPT_VIP:
			o->vip = 1;
			break;
		case OPT_NOVIP:
			o->vip = 0;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_REMOVE:
			strlist_add(&o->remove, optarg);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_FORMAT:
			o->format = optarg;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	return -1;
}

static void
opts_free(struct cust_opts *o)
{
	strlist_free(&o->emails);
	strlist_free(&o->remove);
	free(o->phones);
}

/* Finds a customer by id or address. 1, 0, -1 (error printed). */
static int
lookup(struct support_cli *cli, const char *key, struct store_customer *c)
{
	const char *error;
	char *end;
	int64_t id = strtoll(key, &end, 10);
	int r;

	if (*end != '\0' || end == key) {
		r = store_customer_find(cli->store, key, &id, &error);
		if (r <= 0) {
			if (r < 0)
				fprintf(stderr, "ackmail: %s\n", error);
			return r;
		}
	}
	r = store_customer_get(cli->store, id, c, &error);
	if (r < 0)
		fprintf(stderr, "ackmail: %s\n", error);
	return r;
}

static int
do_add(struct support_cli *cli, const char *name, struct cust_opts *o)
{
	struct store_customer c;
	const char *error;
	int64_t id;

	memset(&c, 0, sizeof(c));
	c.name = (char *)name;
	c.company = (char *)o->company;
	c.phones = o->phones;
	c.notes = (char *)o->notes;
	c.vip = o->vip == 1;
	c.addresses = o->emails;
	if (store_begin(cli->store, &error) < 0 ||
	    store_customer_add(cli->store, &c, &id, &error) < 0 ||
	    store_commit(cli->store, &error) < 0) {
		store_rollback(cli->store);
		return support_cli_store_error(cli, "customer add", error);
	}
	printf("%lld\n", (long long)id);
	return EX_OK;
}

static int
do_edit(struct support_cli *cli, const char *key, struct cust_opts *o)
{
	struct store_customer c;
	const char *error;
	int r;

	if ((r = lookup(cli, key, &c)) <= 0) {
		if (r == 0)
			fprintf(stderr, "ackmail: no customer %s\n", key);
		return r < 0 ? EX_TEMPFAIL : EX_DATAERR;
	}
	if (o->name != NULL) {
		free(c.name);
		c.name = xstrdup(o->name);
	}
	if (o->company != NULL) {
		free(c.company);
		c.company = xstrdup(o->company);
	}
	if (o->notes != NULL) {
		free(c.notes);
		c.notes = xstrdup(o->notes);
	}
	if (o->phones != NULL) {
		free(c.phones);
		c.phones = xstrdup(o->phones);
	}
	if (o->vip >= 0)
		c.vip = o->vip == 1;
	if (store_begin(cli->store, &error) < 0)
		goto fail;
	if (store_customer_update(cli->store, &c, &error) < 0)
		goto fail;
	for (size_t i = 0; i < o->emails.n; i++)
		if (store_customer_add_address(cli->store, c.id, o->emails.v[i],
					       false, &error) < 0)
			goto fail;
	for (size_t i = 0; i < o->remove.n; i++)
		if (store_customer_remove_address(cli->store, c.id,
						  o->remove.v[i], &error) < 0)
			goto fail;
	if (store_commit(cli->store, &error) < 0)
		goto fail;
	store_customer_clear(&c);
	return EX_OK;
fail:
	store_rollback(cli->store);
	store_customer_clear(&c);
	return support_cli_store_error(cli, "customer edit", error);
}

static int
do_list(struct support_cli *cli, bool json)
{
	struct store_customer *v;
	size_t n;
	const char *error;
	struct str out = STR_INIT;

	if (store_customer_list(cli->store, &v, &n, &error) < 0)
		return support_cli_store_error(cli, "customer list", error);
	for (size_t i = 0; i < n; i++) {
		if (json)
			customer_json(&v[i], &out);
		else
			customer_text(&v[i], false, &out);
		store_customer_clear(&v[i]);
	}
	free(v);
	fputs(str_c(&out), stdout);
	str_free(&out);
	return EX_OK;
}

static int
do_show(struct support_cli *cli, const char *key, bool json)
{
	struct store_customer c;
	struct store_issue_filter filter = {0};
	struct store_issue *issues;
	size_t n;
	const char *error;
	struct str out = STR_INIT;
	int r;

	if ((r = lookup(cli, key, &c)) <= 0) {
		if (r == 0)
			fprintf(stderr, "ackmail: no customer %s\n", key);
		return r < 0 ? EX_TEMPFAIL : EX_DATAERR;
	}
	if (json)
		customer_json(&c, &out);
	else {
		customer_text(&c, true, &out);
		filter.customer_id = c.id;
		if (store_issue_list(cli->store, &filter, &issues, &n,
				     &error) == 0) {
			for (size_t i = 0; i < n; i++) {
				str_printf(
				    out.len ? &out : &out,
				    "Issue:     #%lld %-8s %s\n",
				    (long long)issues[i].number,
				    store_issue_state_name(issues[i].state),
				    issues[i].subject);
				store_issue_clear(&issues[i]);
			}
			free(issues);
		}
	}
	fputs(str_c(&out), stdout);
	str_free(&out);
	store_customer_clear(&c);
	return EX_OK;
}

/* ---- import ---- */

struct import_ctx {
	struct support_cli *cli;
	int added, updated;
};

/* Creates the customer, or updates the one that already owns the first
   address (import is repeatable). */
static int
import_row(const struct support_import_row *row, void *context,
	   const char **error_r)
{
	struct import_ctx *ctx = context;
	struct support_cli *cli = ctx->cli;
	struct store_customer c;
	int64_t id = 0;
	int r = 0;

	for (size_t i = 0; i < row->addresses.n && r == 0; i++)
		r = store_customer_find(cli->store, row->addresses.v[i], &id,
					error_r);
	if (r < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	if (r > 0 && store_customer_get(cli->store, id, &c, error_r) > 0 &&
	    strlist_contains_case(&c.addresses, row->addresses.v[0])) {
		free(c.name);
		c.name = xstrdup(row->name != NULL ? row->name : "");
		if (row->company != NULL) {
			free(c.company);
			c.company = xstrdup(row->company);
		}
		if (row->phones != NULL) {
			free(c.phones);
			c.phones = xstrdup(row->phones);
		}
		if (row->notes != NULL) {
			free(c.notes);
			c.notes = xstrdup(row->notes);
		}
		c.vip = c.vip || row->vip;
		r = store_customer_update(cli->store, &c, error_r);
		for (size_t i = 0; r >= 0 && i < row->addresses.n; i++)
			r = store_customer_add_address(cli->store, id,
						       row->addresses.v[i],
						       false, error_r);
		store_customer_clear(&c);
		ctx->updated++;
		return r < 0 ? -1 : 0;
	}
	store_customer_clear(&c);
	c.name = row->name != NULL ? row->name : (char *)"";
	c.company = row->company;
	c.phones = row->phones;
	c.notes = row->notes;
	c.vip = row->vip;
	/* addresses owned by someone else are skipped with a warning */
	for (size_t i = 0; i < row->addresses.n; i++) {
		int64_t other;

		if (store_customer_find(cli->store, row->addresses.v[i], &other,
					error_r) > 0 &&
		    strchr(row->addresses.v[i], '@') != row->addresses.v[i]) {
			struct store_customer o;

			if (store_customer_get(cli->store, other, &o, error_r) >
				0 &&
			    strlist_contains_case(&o.addresses,
						  row->addresses.v[i]))
				log_warnx("import: %s already belongs to "
					  "customer %lld, skipped",
					  row->addresses.v[i],
					  (long long)other);
			else
				strlist_add(&c.addresses, row->addresses.v[i]);
			store_customer_clear(&o);
		} else
			strlist_add(&c.addresses, row->addresses.v[i]);
	}
	r = store_customer_add(cli->store, &c, &id, error_r);
	strlist_free(&c.addresses);
	ctx->added++;
	return r;
}

static int
do_import(struct support_cli *cli, int argc, char **argv,
	  const struct cust_opts *o)
{
	struct import_ctx ctx = {.cli = cli};
	const char *error = NULL;

	if (store_begin(cli->store, &error) < 0)
		return support_cli_store_error(cli, "customer import", error);
	for (int i = 0; i < argc; i++) {
		char *text;
		size_t len;
		bool vcard;
		int r;

		if (path_read_file(argv[i], 64 << 20, &text, &len) < 0) {
			fprintf(stderr, "ackmail: %s: %m\n", argv[i]);
			store_rollback(cli->store);
			return EX_NOINPUT;
		}
		vcard =
		    o->format != NULL
			? strcasecmp(o->format, "vcard") == 0
			: (str_has_suffix_case(argv[i], ".vcf") ||
			   memcasemem(text, len, "BEGIN:VCARD", 11) != NULL);
		r = vcard ? support_import_vcard(text, import_row, &ctx, &error)
			  : support_import_csv(text, import_row, &ctx, &error);
		free(text);
		if (r < 0) {
			store_rollback(cli->store);
			return support_cli_store_error(cli, argv[i], error);
		}
	}
	if (store_commit(cli->store, &error) < 0) {
		store_rollback(cli->store);
		return support_cli_store_error(cli, "customer import", error);
	}
	printf("%d added, %d updated\n", ctx.added, ctx.updated);
	return EX_OK;
}

int
cmd_customer(int argc, char **argv)
{
	struct support_cli cli;
	struct cust_opts o;
	const char *sub;
	int r;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	sub = argv[1];
	if ((r = parse_opts(argc - 1, argv + 1, &o)) >= 0) {
		opts_free(&o);
		return r;
	}
	argc -= 1 + optind;
	argv += 1 + optind;
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "edit") == 0 ||
	     strcmp(sub, "show") == 0) &&
	    argc != 1) {
		usage(stderr);
		opts_free(&o);
		return EX_USAGE;
	}
	if (strcmp(sub, "import") == 0 && argc < 1) {
		usage(stderr);
		opts_free(&o);
		return EX_USAGE;
	}
	if ((r = support_cli_open(&cli, o.config, o.db)) != 0) {
		opts_free(&o);
		return r;
	}
	if (strcmp(sub, "add") == 0)
		r = do_add(&cli, argv[0], &o);
	else if (strcmp(sub, "edit") == 0)
		r = do_edit(&cli, argv[0], &o);
	else if (strcmp(sub, "list") == 0)
		r = do_list(&cli, o.json);
	else if (strcmp(sub, "show") == 0)
		r = do_show(&cli, argv[0], o.json);
	else if (strcmp(sub, "import") == 0)
		r = do_import(&cli, argc, argv, &o);
	else {
		fprintf(stderr, "ackmail: unknown customer command '%s'\n",
			sub);
		usage(stderr);
		r = EX_USAGE;
	}
	support_cli_close(&cli);
	opts_free(&o);
	return r;
}
