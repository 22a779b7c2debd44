/*
 * test-sieve.c - the Sieve front end: lexer tokens, every error of a
 * script in one run with line and column, and evaluation of small
 * scripts against a message (actions as JSON).
 */
#include "unit.h"

#include "engine.h"
#include "msg.h"
#include "sieve-private.h"
#include "sieve.h"

static const struct {
	const char *text;
	enum sieve_tok types[8];
	const char *first_text;
	uint64_t number;
} lex_rows[] = {
    {"keep;", {TOK_IDENT, TOK_SEMICOLON, TOK_EOF}, "keep", 0},
    {":contains", {TOK_TAG, TOK_EOF}, "contains", 0},
    {"10K", {TOK_NUMBER, TOK_EOF}, "", 10240},
    {"2M", {TOK_NUMBER, TOK_EOF}, "", 2097152},
    {"\"a\\\"b\\\\c\"", {TOK_STRING, TOK_EOF}, "a\"b\\c", 0},
    {"\"a\\qb\"", {TOK_STRING, TOK_EOF}, "aqb", 0},
    {"text:\r\nline\r\n..dot\r\n.\r\n",
     {TOK_STRING, TOK_EOF},
     "line\r\n.dot\r\n",
     0},
    {"text: # comment\nx\n.\n", {TOK_STRING, TOK_EOF}, "x\n", 0},
    {"/* c */ # h\n[ \"a\" , \"b\" ]",
     {TOK_LBRACKET, TOK_STRING, TOK_COMMA, TOK_STRING, TOK_RBRACKET, TOK_EOF},
     "",
     0},
    {"\"open", {TOK_ERROR}, "", 0},
    {"/* open", {TOK_ERROR}, "", 0},
    {"99999999999999999999", {TOK_ERROR}, "", 0},
};

static void
test_lexer(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(lex_rows); i++) {
		struct sieve_lexer lx;
		struct sieve_token tok = {0};

		str_init(&tok.text);
		sieve_lexer_init(&lx, lex_rows[i].text,
				 strlen(lex_rows[i].text));
		for (size_t k = 0; k < 8; k++) {
			sieve_lexer_next(&lx, &tok);
			assert_row_int(i, tok.type, lex_rows[i].types[k]);
			if (k == 0 && lex_rows[i].first_text[0] != '\0')
				assert_row_str(i, str_c(&tok.text),
					       lex_rows[i].first_text);
			if (k == 0 && lex_rows[i].number != 0)
				assert_row_int(i, tok.number,
					       lex_rows[i].number);
			if (tok.type == TOK_EOF || tok.type == TOK_ERROR)
				break;
		}
		str_free(&tok.text);
	}
}

/* Each script: how many errors, and the text of every error line
   (file:line:col: error: ...), joined. */
static const struct {
	const char *script;
	int errors;
	const char *first;
} error_rows[] = {
    {"keep;", 0, NULL},
    {"fileinto \"x\";", 1,
     "t.sieve:1:1: error: unknown command 'fileinto' (the extension "
     "'fileinto' is not required)"},
    {"require \"nope\";", 1,
     "t.sieve:1:9: error: require: unknown Sieve capability 'nope'"},
    {"keep", 1,
     "t.sieve:1:5: error: syntax error: unexpected end of "
     "script, expected ';' or '{'"},
    {"if true { keep; }\nelse { stop; }\nelse { stop; }", 1,
     "t.sieve:3:1: error: the else command must follow an if or elsif "
     "command"},
    {"if header \"subject\" { }\nfoo;\nbar;", 3, NULL},
    {"if size 1 { }", 1, NULL},
    {"if size :over :under 1 { }", 1, NULL},
    {"require \"variables\";\nset \"1a\" \"x\";", 1, NULL},
    {"require \"regex\";\nif header :regex \"s\" \"(\" { }", 1, NULL},
    {"if header :comparator \"i;nope\" \"s\" \"x\" { }", 1, NULL},
    {"if header :comparator \"i;ascii-numeric\" \"s\" \"x\" { }", 1, NULL},
    {"require [\"relational\", \"comparator-i;ascii-numeric\"];\nif "
     "header :comparator \"i;ascii-numeric\" :contains \"s\" \"x\" { }",
     1, NULL},
    {"redirect \"no-at-sign\";", 1, NULL},
    {"keep :copy;", 1, NULL},
    {"if true { keep; } keep; require \"fileinto\";", 1, NULL},
    {"stop 1;", 1, NULL},
    {"if true;", 1, NULL},
    {"require \"vacation\";\nvacation :days 1 :seconds 2 \"x\";", 1, NULL},
    {"}", 1, NULL},
};

static void
test_errors(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(error_rows); i++) {
		struct diag d = {0};
		struct rule_program *prog = NULL;
		struct str out = STR_INIT;
		const char *s = error_rows[i].script;
		int r = sieve_compile_text("t.sieve", s, strlen(s), NULL, &prog,
					   &d);

		assert_row_int(i, r, error_rows[i].errors > 0 ? -1 : 0);
		assert_row_int(i, d.errors, error_rows[i].errors);
		if (error_rows[i].first != NULL) {
			diag_format(&d, &out);
			out.s[strcspn(out.s, "\n")] = '\0';
			assert_row_str(i, out.s, error_rows[i].first);
		}
		str_free(&out);
		diag_free(&d);
		sieve_lang.free(&prog);
	}
}

static const char message[] = "From: \"Jane\" <jane+work@example.com>\n"
			      "To: support@example.org\n"
			      "Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?= [#42]\n"
			      "X-Score: 9\n\nBody\n";

static const struct {
	const char *script;
	const char *json;
} run_rows[] = {
    {"keep;", "{\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":[],"
	      "\"implicit\":false,\"copy\":false}\n"},
    {"discard;", "{\"action\":\"discard\"}\n"},
    {"require \"fileinto\"; if header :contains \"subject\" \"résumé\" "
     "{ fileinto \"CV\"; }",
     "{\"action\":\"store\",\"folder\":\"CV\",\"flags\":[],"
     "\"implicit\":false,\"copy\":false}\n"},
    {"require [\"fileinto\", \"variables\"]; if header :matches "
     "\"subject\" \"*[#*]\" { fileinto \"T${2}\"; }",
     "{\"action\":\"store\",\"folder\":\"T42\",\"flags\":[],"
     "\"implicit\":false,\"copy\":false}\n"},
    {"require [\"copy\"]; redirect :copy \"a@example.net\";",
     "{\"action\":\"redirect\",\"address\":\"a@example.net\",\"copy\":"
     "true}\n{\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":[],"
     "\"implicit\":true,\"copy\":false}\n"},
    {"require \"imap4flags\"; addflag \"\\\\Seen\";",
     "{\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":[\"\\\\Seen\"],"
     "\"implicit\":true,\"copy\":false}\n"},
    {"require [\"fileinto\", \"reject\"]; fileinto \"a\"; reject \"x\";",
     "{\"action\":\"store\",\"folder\":\"INBOX\",\"flags\":[],"
     "\"implicit\":true,\"copy\":false}\n"},
    {"require [\"subaddress\", \"fileinto\"]; if address :detail \"from\" "
     "\"work\" { fileinto \"W\"; }",
     "{\"action\":\"store\",\"folder\":\"W\",\"flags\":[],"
     "\"implicit\":false,\"copy\":false}\n"},
};

static void
test_run(void **state)
{
	for (size_t i = 0; i < N_ELEMENTS(run_rows); i++) {
		struct diag d = {0};
		struct rule_program *prog = NULL;
		struct msg *msg = msg_new_copy(message, sizeof(message) - 1);
		struct result *res = result_new();
		struct rule_env env = {0};
		struct str out = STR_INIT;
		const char *s = run_rows[i].script;

		assert_row_int(i,
			       sieve_compile_text("t.sieve", s, strlen(s), NULL,
						  &prog, &d),
			       0);
		env.msg = msg;
		sieve_lang.run(prog, &env, res, &d);
		result_to_json(res, &out);
		assert_row_str(i, str_c(&out), run_rows[i].json);
		str_free(&out);
		result_free(&res);
		msg_free(&msg);
		diag_free(&d);
		sieve_lang.free(&prog);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lexer),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
