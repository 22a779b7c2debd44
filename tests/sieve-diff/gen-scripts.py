#!/usr/bin/env python3
"""gen-scripts.py - writes the differential test's Sieve scripts into
scripts/ (deterministic; the output is committed). Shapes follow what
Roundcube (managesieve), SOGo, Nextcloud Mail and the Thunderbird
sieve add-on generate, plus hand-written ones and compile errors."""
import itertools, os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts")

TESTS = [
    ('header :contains "subject" "test"', []),
    ('header :contains "Subject" ["invoice", "Rechnung", "facture"]', []),
    ('header :is "subject" ""', []),
    ('header :matches "subject" "*re:*"', []),
    ('header :matches "subject" "?*"', []),
    ('address :domain :is "from" "example.com"', []),
    ('address :localpart :contains "from" "noreply"', []),
    ('address :all :matches "to" "*@*.example"', []),
    ('address :is "from" ["a@example.com", "support@nwit.example"]', []),
    ('address :domain :contains ["to", "cc"] "nwit"', []),
    ('exists "list-id"', []),
    ('exists ["auto-submitted", "precedence"]', []),
    ('header :is "auto-submitted" "auto-replied"', []),
    ('header :contains "precedence" ["bulk", "list", "junk"]', []),
    ('size :over 10K', []),
    ('size :under 2000', []),
    ('header :contains "content-type" "multipart"', []),
    ('header :contains "content-type" "report"', []),
    ('not exists "message-id"', []),
    ('header :regex "subject" "^(re|aw|fwd?):"', ["regex"]),
    ('header :regex "subject" "\\\\[#[0-9]+\\\\]"', ["regex"]),
    ('header :regex "from" "[0-9]{3,}"', ["regex"]),
    ('header :count "ge" :comparator "i;ascii-numeric" "received" "3"', ["relational", "comparator-i;ascii-numeric"]),
    ('header :count "eq" :comparator "i;ascii-numeric" "to" "1"', ["relational", "comparator-i;ascii-numeric"]),
    ('header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "5"', ["relational", "comparator-i;ascii-numeric"]),
    ('address :count "gt" :comparator "i;ascii-numeric" ["to","cc"] "2"', ["relational", "comparator-i;ascii-numeric"]),
    ('envelope :is "from" "sender@example.com"', ["envelope"]),
    ('envelope :domain :is "to" "example.com"', ["envelope"]),
    ('envelope :localpart :matches "from" "s*"', ["envelope"]),
    ('address :user "to" "recipient"', ["subaddress"]),
    ('address :detail "to" "lists"', ["subaddress"]),
    ('date :value "ge" "date" "year" "2010"', ["date", "relational"]),
    ('date :is "date" "weekday" ["0", "6"]', ["date"]),
    ('date :originalzone :is "date" "zone" "+0000"', ["date"]),
    ('currentdate :value "ge" "year" "2020"', ["date", "relational"]),
    ('header :comparator "i;octet" :contains "subject" "Re"', []),
    ('header :contains "from" "=?"', []),
    ('header :contains "subject" "ü"', []),
    ('header :matches "x-mailer" "*Outlook*"', []),
    ('header :contains "received" "localhost"', []),
    ('anyof (header :contains "subject" "urgent", header :contains "x-priority" "1")', []),
    ('allof (exists "from", not exists "in-reply-to")', []),
    ('anyof (exists "list-unsubscribe", header :contains "from" "newsletter")', []),
    ('allof (address :domain :contains "from" "example", size :under 100K)', []),
    ('true', []),
    ('false', []),
]

ACTIONS = [
    ('fileinto "Filtered";', ["fileinto"]),
    ('fileinto "INBOX.Lists";', ["fileinto"]),
    ('fileinto "Archive/2024";', ["fileinto"]),
    ('discard;', []),
    ('keep;', []),
    ('redirect "archive@example.net";', []),
    ('redirect :copy "copy@example.net";', ["copy"]),
    ('fileinto :copy "Copies";', ["fileinto", "copy"]),
    ('addflag "\\\\Seen"; fileinto "Read";', ["fileinto", "imap4flags"]),
    ('setflag "\\\\Flagged"; keep;', ["imap4flags"]),
    ('fileinto :flags ["\\\\Seen", "$Label1"] "Tagged";', ["fileinto", "imap4flags"]),
    ('stop;', []),
    ('fileinto "Junk"; stop;', ["fileinto"]),
    ('keep; fileinto "Dup";', ["fileinto"]),
]

def header(req):
    req = sorted(set(req))
    if not req:
        return ""
    return "require [%s];\n" % ", ".join('"%s"' % r for r in req)

def write(name, text):
    with open(os.path.join(OUT, name + ".sieve"), "w") as f:
        f.write(text)

def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".sieve") and "-body" not in f:  # body: hand-written
            os.unlink(os.path.join(OUT, f))
    n = 0
    # plain test x action pairs
    for i, (t, treq) in enumerate(TESTS):
        a, areq = ACTIONS[i % len(ACTIONS)]
        n += 1
        write("%03d-plain" % n, header(treq + areq) + "if %s {\n  %s\n}\n" % (t, a))
    # Roundcube managesieve shape: rule comments, anyof/allof, stop
    for i in range(25):
        t1, r1 = TESTS[(i * 7) % len(TESTS)]
        t2, r2 = TESTS[(i * 11 + 3) % len(TESTS)]
        a, ar = ACTIONS[(i * 5) % len(ACTIONS)]
        comb = "anyof" if i % 2 else "allof"
        n += 1
        write("%03d-roundcube" % n, header(r1 + r2 + ar + ["fileinto"]) +
              "# rule:[filter %d]\nif %s (%s, %s)\n{\n\t%s\n\tstop;\n}\n"
              "# rule:[catch]\nif true\n{\n\tfileinto \"Rest\";\n}\n" % (i, comb, t1, t2, a))
    # SOGo shape: imapflags legacy, addflag before fileinto
    for i in range(15):
        t, r = TESTS[(i * 5 + 1) % len(TESTS)]
        n += 1
        write("%03d-sogo" % n, header(r + ["imapflags", "fileinto"]) +
              "if anyof (%s) {\n    addflag \"\\\\Flagged\";\n    fileinto \"SOGo%d\";\n    stop;\n}\n" % (t, i))
    # Nextcloud Mail / Thunderbird shape: elsif chains, variables
    for i in range(20):
        t1, r1 = TESTS[(i * 3 + 2) % len(TESTS)]
        t2, r2 = TESTS[(i * 13 + 5) % len(TESTS)]
        n += 1
        write("%03d-chain" % n, header(r1 + r2 + ["fileinto"]) +
              "if %s {\n  fileinto \"One\";\n} elsif %s {\n  fileinto \"Two\";\n} else {\n  keep;\n}\n" % (t1, t2))
    # variables and match variables
    var_scripts = [
        'if header :matches "subject" "*" { set "s" "${1}"; }\nif string :contains "${s}" "e" { fileinto "HasE"; }\n',
        'if address :matches "from" "*@*" { fileinto "From.${2}"; }\n',
        'if header :matches "list-id" "*<*.*>*" { fileinto "Lists.${2}"; stop; }\nkeep;\n',
        'set :lower "f" "FOLDER"; fileinto "${f}";\n',
        'set :upperfirst "f" "folder"; set :length "n" "${f}"; fileinto "${f}${n}";\n',
        'if header :matches "from" "*" { set :lower :upperfirst "who" "${1}"; }\nif string :count "ge" :comparator "i;ascii-numeric" "${who}" "1" { fileinto "Named"; }\n',
        'if envelope :matches "to" "*+*@*" { fileinto "Sub.${2}"; }\n',
        'set "a" "x"; set "b" "${a}${a}"; if string :is "${b}" "xx" { fileinto "VarOK"; }\n',
        'if header :regex "subject" "^(.)(.)" { fileinto "R.${1}${2}"; }\n',
        'if date :matches "date" "year" "*" { fileinto "Y${1}"; }\n',
    ]
    for i, body in enumerate(var_scripts):
        n += 1
        write("%03d-variables" % n, header(["fileinto", "variables", "relational", "comparator-i;ascii-numeric", "envelope", "regex", "date"]) + body)
    # vacation
    vac = [
        'vacation "I am away.";',
        'vacation :days 3 :subject "Out of office" "Back soon.";',
        'vacation :days 0 "Zero days.";',
        'vacation :days 200 "Too long.";',
        'vacation :seconds 3600 "An hour.";',
        'vacation :seconds 864000 :subject "Ten days" "Ten days.";',
        'vacation :from "boss@example.com" :subject "Re: your mail" "From the boss.";',
        'vacation :addresses ["alias@example.com"] :handle "h1" "With handle.";',
        'vacation :mime "Content-Type: text/plain\\r\\n\\r\\nMIME reply.";',
        'if header :contains "subject" "urgent" { vacation :subject "Urgent noted" "We saw it."; }',
        'if not exists "list-id" { vacation :days 1 "Not a list."; }',
        'fileinto "Vac"; vacation "And filed.";',
    ]
    for i, v in enumerate(vac):
        n += 1
        write("%03d-vacation" % n, header(["vacation", "vacation-seconds", "fileinto"]) + v + "\n")
    # reject, conflicts and runtime errors
    misc = [
        (["reject"], 'if size :over 1M { reject "too big"; }\n'),
        (["reject"], 'reject "no thanks";\n'),
        (["reject", "fileinto"], 'fileinto "A"; reject "conflict";\n'),
        (["reject"], 'reject "one"; discard;\n'),
        ([], 'redirect "a@example.com"; redirect "b@example.com"; redirect "c@example.com"; redirect "d@example.com"; redirect "e@example.com";\n'),
        ([], 'redirect "a@example.com"; redirect "A@example.com";\n'),
        (["fileinto"], 'fileinto "X"; fileinto "X"; fileinto "Y";\n'),
        (["fileinto", "imap4flags"], 'addflag "\\\\Seen"; keep; removeflag "\\\\Seen"; fileinto "NoSeen";\n'),
        (["imap4flags"], 'addflag ["\\\\Seen", "\\\\Answered"];\n'),
        (["imap4flags"], 'if header :contains "subject" "e" { setflag "\\\\Flagged"; }\n'),
        (["imap4flags"], 'addflag "a b c"; removeflag "b"; if hasflag :contains "a" { addflag "hasA"; }\n'),
        ([], 'discard; keep;\n'),
        (["encoded-character", "fileinto"], 'fileinto "${hex:46 6f 6f}";\n'),
        (["encoded-character", "fileinto"], 'fileinto "caf${unicode:e9}";\n'),
        ([], 'if header :contains "subject" text:\nre\n.\n{ discard; }\n'),
    ]
    for req, body in misc:
        n += 1
        write("%03d-misc" % n, header(req) + body)
    # compile errors (all must give "error compile")
    errors = [
        'fileinto "x";\n',
        'require "nosuchext";\nkeep;\n',
        'if header :contains "subject" { keep; }\n',
        'keep\n',
        'if true { keep; \n',
        'require ["fileinto"];\nfileinto :copy "x";\n',
        'redirect "not an address";\n',
        'if header :regex "subject" "x" { keep; }\n',
        'require ["regex"];\nif header :regex "subject" "(" { keep; }\n',
        'if size 100 { keep; }\n',
        'elsif true { keep; }\n',
        'require "relational";\nif header :value "xx" "subject" "a" { keep; }\n',
    ]
    for body in errors:
        n += 1
        write("%03d-error" % n, body)
    print(n, "scripts")

if __name__ == "__main__":
    main()
