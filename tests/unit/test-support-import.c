/*
 * test-support-import.c - the customer register's CSV and vCard readers:
 * each input and the records it yields, flattened to one line each as
 * "name|company|addresses|phones|notes|vip".
 */
#include "unit.h"

#include "support.h"

static int
collect(const struct support_import_row *row, void *context,
	const char **error_r)
{
	struct str *out = context;

	(void)error_r;
	str_printf(out, "%s|%s|", row->name ? row->name : "-",
		   row->company ? row->company : "-");
	for (size_t i = 0; i < row->addresses.n; i++)
		str_printf(out, "%s%s", i ? "," : "", row->addresses.v[i]);
	str_printf(out, "|%s|%s|%d\n", row->phones ? row->phones : "-",
		   row->notes ? row->notes : "-", row->vip);
	return 0;
}

static const struct {
	bool vcard;
	const char *in, *want;
} cases[] = {
    /* CSV: header names in any case, a BOM, quoted fields with commas,
       doubled quotes and newlines, CRLF, domains with and without @ */
    {false,
     "\xef\xbb\xbfName,Company,Email,Phone,Domain,VIP\r\n"
     "Anna Muster,\"Muster, GmbH\",anna@m.example;a2@m.example,"
     "+49 30 1234,m.example,yes\r\n",
     "Anna Muster|Muster, GmbH|anna@m.example,a2@m.example,@m.example|"
     "+49 30 1234|-|1\n"},
    {false, "name,notes\nBo,\"says \"\"hi\"\"\nand bye\"\n",
     "Bo|-||-|says \"hi\"\nand bye|0\n"},
    /* several phone columns are kept one a line, as given */
    {false, "full name,mobile,tel,organization\nCy,0170 1,(030) 2,Org\n",
     "Cy|Org||0170 1\n(030) 2|-|0\n"},
    /* a row with neither name nor address is skipped; short rows are fine */
    {false, "name,email\n,\nDee\n", "Dee|-||-|-|0\n"},
    /* an unterminated quote at the end still yields its field */
    {false, "email\n\"x@y.example", "-|-|x@y.example|-|-|0\n"},
    {false, "", ""},
    /* vCard: folding, group prefixes, parameters, escapes, tel: URIs, N
       when there is no FN */
    {true,
     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Virtanen;Mika;;;\r\n"
     "ORG:Lumen;IT\r\nitem1.EMAIL;TYPE=work:mika@lumen.example\r\n"
     "TEL;TYPE=cell:+358 (40) 123\r\n 4567\r\nTEL:tel:+358-9-1\r\n"
     "NOTE:early\\, please\\nthanks\r\nEND:VCARD\r\n",
     "Mika Virtanen|Lumen|mika@lumen.example|+358 (40) 1234567\n+358-9-1|"
     "early, please\nthanks|0\n"},
    {true,
     "BEGIN:VCARD\nFN:One\nEMAIL:\nEND:VCARD\nBEGIN:VCARD\n"
     "EMAIL:two@x.example\nEND:VCARD\n",
     "One|-||-|-|0\n-|-|two@x.example|-|-|0\n"},
    /* no END: nothing is handed on */
    {true, "BEGIN:VCARD\nFN:Lost\n", ""},
};

static void
test_import(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct str out = STR_INIT;
		const char *error = NULL;
		int r = cases[i].vcard
			    ? support_import_vcard(cases[i].in, collect, &out,
						   &error)
			    : support_import_csv(cases[i].in, collect, &out,
						 &error);

		assert_row_int(i, r, 0);
		assert_row_str(i, str_c(&out), cases[i].want);
		str_free(&out);
	}
}

static int
stop_at_second(const struct support_import_row *row, void *context,
	       const char **error_r)
{
	(void)row;
	if (++*(int *)context == 2) {
		*error_r = "stop";
		return -1;
	}
	return 0;
}

static void
test_import_stops(void **state)
{
	const char *error = NULL;
	int n = 0;

	(void)state;
	assert_row_int(
	    0,
	    support_import_csv("name\na\nb\nc\n", stop_at_second, &n, &error),
	    -1);
	assert_row_int(0, n, 2);
	assert_row_str(0, error, "stop");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import),
	    cmocka_unit_test(test_import_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
