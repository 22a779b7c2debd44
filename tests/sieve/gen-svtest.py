#!/usr/bin/env python3
"""gen-svtest.py - writes the table-driven .svtest files (match types,
comparators, address parts, relational, variables, ...). Each row becomes
one test block that fails when the test's truth value is not the expected
one. The hand-written .svtest files sit beside the generated ones."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

MESSAGE = r'''From: "Jane Doe" <Jane.Doe+work@Example.COM>
To: support@example.org, Bob <bob@example.org>
Cc: "Team" <team@lists.example.net>
Subject: =?UTF-8?B?UmU6IFfDtnJsZA==?= [#1234] Invoice urgent
Date: Mon, 23 Nov 2026 10:11:12 +0100
Message-ID: <abc@example.com>
X-Spam-Score: 7
X-Count: 12
X-Empty:
Received: from a by b; Mon, 23 Nov 2026 09:00:00 +0000
Received: from c by d; Mon, 23 Nov 2026 08:00:00 +0000
Received: from e by f; Sun, 22 Nov 2026 23:00:00 -0500
List-Id: Team list <team.lists.example.net>

Body text.
'''

# (file, requires, [(test expression, expected)])
TABLES = [
 ("match-is", [], [
  ('header :is "subject" "Re: Wörld [#1234] Invoice urgent"', True),
  ('header :is "subject" "re: wörld [#1234] invoice URGENT"', True),
  ('header :is "subject" "Re: Wörld"', False),
  ('header :is "x-spam-score" "7"', True),
  ('header :is "x-empty" ""', True),
  ('header :is "x-missing" ""', False),
  ('header :is ["x-missing", "x-count"] "12"', True),
  ('header :is "x-count" ["1", "12"]', True),
  ('header :comparator "i;octet" :is "x-spam-score" "7"', True),
  ('header :comparator "i;octet" :is "subject" "re: wörld [#1234] invoice urgent"', False),
  ('header :is "message-id" "<abc@example.com>"', True),
  ('header :is "MESSAGE-ID" "<ABC@EXAMPLE.COM>"', True),
 ]),
 ("match-contains", [], [
  ('header :contains "subject" "Wörld"', True),
  ('header :contains "subject" "WÖRLD"', False),
  ('header :contains "subject" "invoice"', True),
  ('header :contains "subject" "INVOICE"', True),
  ('header :contains "subject" ""', True),
  ('header :contains "subject" "[#1234]"', True),
  ('header :contains "subject" "#12345"', False),
  ('header :contains "x-missing" ""', False),
  ('header :contains ["to", "cc"] "lists.example"', True),
  ('header :comparator "i;octet" :contains "subject" "invoice"', False),
  ('header :comparator "i;octet" :contains "subject" "Invoice"', True),
  ('header :contains "received" "from e"', True),
  ('header :contains "from" "Jane Doe"', True),
  ('header :contains "subject" ["nothing", "urgent"]', True),
 ]),
 ("match-matches", [], [
  ('header :matches "subject" "*"', True),
  ('header :matches "subject" "Re:*"', True),
  ('header :matches "subject" "re:*URGENT"', True),
  ('header :matches "subject" "*[#????]*"', True),
  ('header :matches "subject" "*[#???]*"', False),
  # Pigeonhole says true here: when the text after a "?" fails it skips
  # the key to the next "*" (docs/compatibility.md)
  ('header :matches "subject" "Re: W?rld*"', False),
  ('header :matches "x-spam-score" "?"', True),
  ('header :matches "x-spam-score" "??"', False),
  ('header :matches "x-count" "1*"', True),
  ('header :matches "x-count" "*2"', True),
  ('header :matches "x-count" "*3"', False),
  ('header :matches "x-empty" "*"', True),
  ('header :matches "x-empty" "?"', False),
  ('header :matches "subject" "*\\\\[#1234\\\\]*"', True),
  ('header :matches "message-id" "<*@*>"', True),
  ('header :matches "message-id" "<*@*.org>"', False),
  ('header :comparator "i;octet" :matches "subject" "re:*"', False),
  ('header :matches "subject" "**urgent"', True),
  # "?" is one octet with i;ascii-casemap and i;octet (RFC 5228 2.7.1),
  # as Pigeonhole takes it: the o-umlaut takes two
  ('header :matches "subject" "Re: W??rld *"', True),
  ('header :comparator "i;octet" :matches "subject" "Re: W??rld *"', True),
  ('header :matches "subject" "Re: W?rld [#1234] Invoice urgent"', False),
  ('header :matches "subject" "*W?rld *"', False),
 ]),
 ("address-parts", [], [
  ('address :is "from" "jane.doe+work@example.com"', True),
  ('address :all :is "from" "Jane.Doe+work@Example.COM"', True),
  ('address :localpart :is "from" "jane.doe+work"', True),
  ('address :domain :is "from" "example.com"', True),
  ('address :domain :is "from" "EXAMPLE.COM"', True),
  ('address :domain :is "to" "example.org"', True),
  ('address :localpart :is "to" "bob"', True),
  ('address :is "to" "Bob"', False),
  ('address :contains "cc" "lists"', True),
  ('address :domain :matches "cc" "*.example.net"', True),
  ('address :is ["to", "cc"] "team@lists.example.net"', True),
  ('address :is "from" "Jane Doe"', False),
  ('address :domain :contains "from" "jane"', False),
  ('address :matches "to" "support@*"', True),
  ('address :is "resent-from" ""', False),
 ]),
 ("subaddress", ["subaddress"], [
  ('address :user "from" "jane.doe"', True),
  ('address :detail "from" "work"', True),
  ('address :detail "from" "home"', False),
  ('address :user "to" "bob"', True),
  ('address :detail "to" ""', False),
  ('address :detail :matches "to" "*"', False),
  ('address :user :contains "from" "doe"', True),
  ('address :detail :is "from" "WORK"', True),
 ]),
 ("exists-size", [], [
  ('exists "from"', True),
  ('exists "FROM"', True),
  ('exists ["from", "to", "subject"]', True),
  ('exists ["from", "x-missing"]', False),
  ('exists "x-empty"', True),
  ('not exists "x-missing"', True),
  ('size :over 100', True),
  ('size :under 100', False),
  ('size :under 1K', True),
  ('size :over 1M', False),
  ('size :under 1G', True),
 ]),
 ("logic", [], [
  ('true', True),
  ('false', False),
  ('not true', False),
  ('not false', True),
  ('allof (true, true)', True),
  ('allof (true, false)', False),
  ('anyof (false, true)', True),
  ('anyof (false, false)', False),
  ('not anyof (false, not true)', True),
  ('allof (exists "from", header :contains "subject" "urgent")', True),
  ('anyof (exists "x-missing", size :over 1M)', False),
  ('allof (true)', True),
  ('anyof (false)', False),
  ('not not true', True),
 ]),
 ("relational", ["relational", "comparator-i;ascii-numeric"], [
  ('header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "5"', True),
  ('header :value "lt" :comparator "i;ascii-numeric" "x-spam-score" "5"', False),
  ('header :value "eq" :comparator "i;ascii-numeric" "x-count" "12"', True),
  ('header :value "eq" :comparator "i;ascii-numeric" "x-count" "012"', True),
  ('header :value "ge" :comparator "i;ascii-numeric" "x-count" "12"', True),
  ('header :value "le" :comparator "i;ascii-numeric" "x-count" "11"', False),
  ('header :value "ne" :comparator "i;ascii-numeric" "x-count" "11"', True),
  ('header :value "gt" :comparator "i;ascii-numeric" "x-count" "9"', True),
  ('header :value "gt" "x-count" "9"', False),
  ('header :value "lt" :comparator "i;ascii-numeric" "subject" "99999"', False),
  ('header :value "eq" :comparator "i;ascii-numeric" "subject" "x"', True),
  ('header :count "eq" :comparator "i;ascii-numeric" "received" "3"', True),
  ('header :count "gt" :comparator "i;ascii-numeric" "received" "2"', True),
  ('header :count "eq" :comparator "i;ascii-numeric" "x-missing" "0"', True),
  ('address :count "eq" :comparator "i;ascii-numeric" "to" "2"', True),
  ('address :count "eq" :comparator "i;ascii-numeric" ["to", "cc"] "3"', True),
  ('header :value "gt" "subject" "A"', True),
  ('header :value "lt" "subject" "A"', False),
  ('header :value "ge" :comparator "i;octet" "x-spam-score" "7"', True),
 ]),
 ("regex", ["regex"], [
  ('header :regex "subject" "^Re:"', True),
  ('header :regex "subject" "^re:"', True),
  ('header :comparator "i;octet" :regex "subject" "^re:"', False),
  ('header :regex "subject" "\\\\[#[0-9]+\\\\]"', True),
  ('header :regex "subject" "[0-9]{5}"', False),
  ('header :regex "x-count" "^[0-9]+$"', True),
  ('header :regex "x-spam-score" "^(7|8|9)$"', True),
  ('address :regex "from" "^jane\\\\.doe"', True),
  ('address :domain :regex "to" "example\\\\.(org|com)$"', True),
  ('header :regex "x-missing" ".*"', False),
  ('header :regex "x-empty" "^$"', True),
  ('header :regex ["subject", "x-count"] ["zzz", "^1"]', True),
 ]),
 ("envelope", ["envelope"], [
  ('envelope :is "from" "sender@example.com"', True),
  ('envelope :is "to" "recipient@example.com"', True),
  ('envelope :domain :is "from" "example.com"', True),
  ('envelope :localpart :is "to" "recipient"', True),
  ('envelope :contains "from" "example"', True),
  ('envelope :is "from" "other@example.com"', False),
  ('envelope :matches "to" "*@*"', True),
  ('envelope :is ["from", "to"] "recipient@example.com"', True),
  ('envelope :all :is "FROM" "SENDER@EXAMPLE.COM"', True),
 ]),
 ("date", ["date", "relational"], [
  ('date :is "date" "year" "2026"', True),
  ('date :is "date" "month" "11"', True),
  ('date :originalzone :is "date" "day" "23"', True),
  ('date :originalzone :is "date" "hour" "10"', True),
  ('date :zone "+0000" :is "date" "hour" "09"', True),
  ('date :zone "+0000" :is "date" "time" "09:11:12"', True),
  ('date :originalzone :is "date" "zone" "+0100"', True),
  ('date :zone "-0500" :is "date" "zone" "-0500"', True),
  ('date :originalzone :is "date" "date" "2026-11-23"', True),
  ('date :originalzone :is "date" "weekday" "1"', True),
  ('date :originalzone :is "date" "minute" "11"', True),
  ('date :originalzone :is "date" "second" "12"', True),
  ('date :originalzone :is "date" "iso8601" "2026-11-23T10:11:12+01:00"', True),
  ('date :originalzone :is "date" "std11" "Mon, 23 Nov 2026 10:11:12 +0100"', True),
  ('date :zone "+0000" :is "date" "julian" "61367"', True),
  ('date :value "ge" :originalzone "date" "date" "2026-01-01"', True),
  ('date :value "lt" :originalzone "date" "date" "2026-01-01"', False),
  ('date :is "x-missing" "year" "2026"', False),
  ('date :is "subject" "year" "2026"', False),
  ('currentdate :value "ge" "year" "2000"', True),
  ('currentdate :matches "date" "????-??-??"', True),
  ('currentdate :zone "+0000" :matches "zone" "+0000"', True),
 ]),
 ("index", ["date", "index", "relational"], [
  ('header :index 1 :contains "received" "from a"', True),
  ('header :index 2 :contains "received" "from c"', True),
  ('header :index 2 :contains "received" "from a"', False),
  ('header :index 1 :last :contains "received" "from e"', True),
  ('header :index 4 :contains "received" ""', False),
  # :index picks a field, with all its addresses (RFC 5260, Pigeonhole)
  ('address :index 1 :is "to" "bob@example.org"', True),
  ('address :index 2 :is "to" "bob@example.org"', False),
  ('address :index 1 :last :is "to" "bob@example.org"', True),
  ('date :index 3 :zone "+0000" :is "received" "day" "23"', True),
  ('date :index 1 :zone "+0000" :is "received" "hour" "09"', True),
  ('date :index 1 :last :originalzone :is "received" "zone" "-0500"', True),
 ]),
 ("string-variables", ["variables", "relational", "comparator-i;ascii-numeric"], [
  ('string :is "${undefined}" ""', True),
  ('string :is "abc" "ABC"', False),
  ('string :comparator "i;ascii-casemap" :is "abc" "ABC"', True),
  ('string :comparator "i;octet" :is "abc" "ABC"', False),
  ('string :contains "hello world" "o w"', True),
  ('string :matches "hello world" "h*d"', True),
  ('string :count "eq" :comparator "i;ascii-numeric" ["a", "", "b"] "2"', True),
  ('string :count "eq" :comparator "i;ascii-numeric" "" "0"', True),
  ('string :value "gt" :comparator "i;ascii-numeric" "10" "9"', True),
  ('string :is ["x", "y"] "y"', True),
  ('string :is "$" "$"', True),
  ('string :is "${" "${"', True),
  ('string :is "${1x}" "${1x}"', True),
  ('string :is "a${}b" "a${}b"', True),
 ]),
]

# set-based variable checks: (setup commands, test, expected)
SETS = [
 ('set "a" "1";', 'string :is "${a}" "1"', True),
 ('set "A" "1";', 'string :is "${a}" "1"', True),
 ('set "a" "1"; set "a" "2";', 'string :is "${a}" "2"', True),
 ('set "a" "x"; set "b" "${a}${a}";', 'string :is "${b}" "xx"', True),
 ('set :lower "a" "MiXeD";', 'string :comparator "i;octet" :is "${a}" "mixed"', True),
 ('set :upper "a" "MiXeD";', 'string :comparator "i;octet" :is "${a}" "MIXED"', True),
 ('set :lowerfirst "a" "ABC";', 'string :comparator "i;octet" :is "${a}" "aBC"', True),
 ('set :upperfirst "a" "abc";', 'string :comparator "i;octet" :is "${a}" "Abc"', True),
 ('set :upperfirst :lower "a" "aBC";', 'string :comparator "i;octet" :is "${a}" "Abc"', True),
 ('set :length "a" "abcd";', 'string :is "${a}" "4"', True),
 ('set :length "a" "";', 'string :is "${a}" "0"', True),
 ('set :length "a" "wörld";', 'string :is "${a}" "5"', True),
 # :length of a "?" match value holding part of a UTF-8 character counts
 # as Pigeonhole does: a cut-off sequence is not counted, a stray
 # continuation octet is one character
 ('if header :matches "subject" "Re: W?*" { set :length "a" "${1}"; set :length "b" "${2}"; }',
  'string :is "${a}:${b}" "0:27"', True),
 ('set :quotewildcard "a" "a*b?c\\\\";', 'string :comparator "i;octet" :is "${a}" "a\\\\*b\\\\?c\\\\\\\\"', True),
 ('set :length :upper "a" "abc";', 'string :is "${a}" "3"', True),
 ('set "my_var" "v";', 'string :is "${MY_VAR}" "v"', True),
 ('set "a" "${never_set}";', 'string :is "${a}" ""', True),
 ('', 'header :matches "subject" "Re: *" and-then', None),
]

CAPTURES = [
 ('header :matches "subject" "Re: * [#*]*"', '${1}', 'Wörld'),
 ('header :matches "subject" "Re: * [#*]*"', '${2}', '1234'),
 ('header :matches "subject" "Re: * [#*]*"', '${3}', ' Invoice urgent'),
 ('header :matches "subject" "*"', '${0}', 'Re: Wörld [#1234] Invoice urgent'),
 ('header :matches "x-count" "?*"', '${1}', '1'),
 ('header :matches "x-count" "?*"', '${2}', '2'),
 ('header :matches "message-id" "<*@*>"', '${2}', 'example.com'),
 ('address :matches "from" "*+*@*"', '${2}', 'work'),
 ('header :regex "subject" "\\\\[#([0-9]+)\\\\]"', '${1}', '1234'),
 ('header :regex "subject" "^(R)(e)"', '${2}', 'e'),
 ('header :regex "subject" "^(R)(e)"', '${0}', 'Re'),
 ('header :matches "x-spam-score" "*"', '${1}', '7'),
 ('header :matches "subject" "*[#*"', '${1}', 'Re: Wörld '),
 ('header :matches "subject" "Re: W??*"', '${3}', 'rld [#1234] Invoice urgent'),
 ('envelope :matches "from" "*@*"', '${1}', 'sender'),
]


def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def header(req):
    req = ["vnd.dovecot.testsuite"] + req
    return "require [%s];\n\ntest_set \"message\" text:\n%s.\n;\n\n" % (
        ", ".join(q(r) for r in req), MESSAGE)


def block(name, test, expected):
    if expected:
        return 'test %s {\n\tif not %s {\n\t\ttest_fail "should be true";\n\t}\n}\n\n' % (q(name), test)
    return 'test %s {\n\tif %s {\n\t\ttest_fail "should be false";\n\t}\n}\n\n' % (q(name), test)


def main():
    n = 0
    for fname, req, rows in TABLES:
        with open(os.path.join(HERE, "gen-%s.svtest" % fname), "w") as f:
            f.write("# generated by gen-svtest.py\n" + header(req))
            for i, (t, exp) in enumerate(rows, 1):
                f.write(block("%s %d: %s" % (fname, i, t.replace('"', "'")), t, exp))
                n += 1
    with open(os.path.join(HERE, "gen-variables-set.svtest"), "w") as f:
        f.write("# generated by gen-svtest.py\n" + header(["variables", "regex"]))
        for i, (setup, t, exp) in enumerate(SETS, 1):
            if exp is None:
                continue
            f.write('test %s {\n\t%s\n\tif not %s {\n\t\ttest_fail "should be true";\n\t}\n}\n\n'
                    % (q("set %d: %s" % (i, setup.replace('"', "'"))), setup, t))
            n += 1
    with open(os.path.join(HERE, "gen-match-variables.svtest"), "w") as f:
        f.write("# generated by gen-svtest.py\n" + header(["variables", "regex", "envelope", "subaddress"]))
        for i, (t, var, want) in enumerate(CAPTURES, 1):
            f.write('test %s {\n\tif not %s {\n\t\ttest_fail "no match";\n\t}\n'
                    '\tif not string :comparator "i;octet" :is "%s" %s {\n'
                    '\t\ttest_fail "wrong value: ${%s}";\n\t}\n}\n\n'
                    % (q("capture %d: %s" % (i, var)), t, var, q(want), var[2:-1]))
            n += 1
    print(n, "generated test blocks")


if __name__ == "__main__":
    main()
