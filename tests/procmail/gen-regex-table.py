#!/usr/bin/env python3
"""gen-regex-table.py - the procmail regex conformance table, from the real
procmail. Every probe is a one-condition recipe run by `procmail -m` on a
small message; the rc logs whether the recipe matched, MATCH and $=.

usage: gen-regex-table.py [--program "CMD"] > regex-table.tsv
       gen-regex-table.py --check TABLE [--program "CMD"] [--sample N]

Columns: flags, condition, message number, matched (0/1), score ($=),
MATCH ("-" when unset); backslash escapes \\n \\t \\\\ in text fields.
"""
import os, random, shlex, subprocess, sys, tempfile

MSGS = [
    b"From: Jane Doe <jane@example.com>\nTo: support@helpdesk.example.org\n"
    b"Subject: Re: [Ticket #1234] Printer on fire\n  again and again\n"
    b"X-Spam-Flag: NO\nCc: bob@example.net, alice@Example.NET\n\n"
    b"Hello,\nthe printer is on fire again.\nerror: failed to print\n"
    b"From the desk of Jane\n> quoted line\n:-) thanks\n",
    b"From MAILER-DAEMON  Mon Nov 23 17:00:00 2026\n"
    b"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>\n"
    b"To: jane@example.com\nSubject: Undelivered Mail Returned to Sender\n"
    b"Precedence: bulk\nX-Loop: jane@example.com\n\n"
    b"This is the mail system at host mx.example.com.\n\n"
    b"I'm sorry to have to inform you that your message could not\n"
    b"be delivered to one or more recipients.\n",
    b"Return-Path: <owner-list@lists.example.org>\n"
    b"From: bob@example.net (Bob Smith)\n"
    b"Resent-To: list@lists.example.org\nTo: undisclosed-recipients:;\n"
    b"Subject: weekly digest: 3 messages\nList-Id: <dev-list.example.org>\n"
    b"Content-Type: text/plain; charset=iso-8859-1\n\n"
    b"aaa bbb ccc\nabcabcabc\nxyz XYZ xYz\n\ttabbed line\nend\n",
]

PATTERNS = r"""
^Subject:.*fire
^Subject: fire
^Subject:\/.*
^From:\/.*
^From:.*\/[a-z]+@
^From:.*<\/[^>]+
^From:.*\/[^ <]+@[^ >]+
^To:.*support@helpdesk\.example\.org
^TO_support@helpdesk\.example\.org
^TOsupport
^TO_jane@example\.com
^TO_list
^FROM_DAEMON
^FROM_MAILER
!^Precedence:.*(junk|bulk|list)
^Precedence:.*(junk|bulk|list)
^X-Spam-Flag: *YES
^X-Spam-Flag: *NO
ticket #\/[0-9]+
\[Ticket #\/[0-9]+
printer
PRINTER
fire again
fire  again
again\/.*
on fire\/.*$
^^From
^^From:
^^Return
^^This
^^Hello
end$^^
print$^^
\.$^^
a\/b
a\/b|c
(a|ab)\/.*
ab*\/c
x\/y*z
^Cc:.*\/example\.net
example\.net\>
\<bob
@\<example
bob\>
^$
^.*$
$^
^$$
^>
:-\)
error|fail(ed|ure)?
(error|fail(ed|ure)?)\/.*
fail(ed|ure)?
a+
ab+c
(abc)+
(abc)*d
[a-c]+\/.*
[^a-c]+
[]x]
[a-]
[^ ]+@[^ ]+
\/
x*\/^To
^\/To
y\/$
[0-9][0-9][0-9][0-9]
#[0-9]+\]
o+\/o*
sorry\/.*inform
(sorry|inform)\/[a-z ]*
mail system\/.*
^Subject:.*\/digest
^List-Id:.*dev-list
^Content-Type:.*charset="?\/[^";]+
^(From|To):.*jane
^(Cc|Resent-To):.*list
xyz xyz xyz
XYZ
	tabbed
\ttabbed
tabbed line$
a.c
a..c
.*
^[a-z]+:
^[^:]+: bulk
(^|\n)end
abc$
abc\>
\\
q?u?o?ted
quo?ted
Subject:.*Re:.*\[
e
ee
""".strip("\n").split("\n")

FLAGS = ["", "B", "HB", "D"]

RC = """:0 {flags}
* {cond}
{{ RES=yes }}
LOG="R=$RES S=$= M=${{MATCH-@UNSET@}}@END@
"
"""

def esc(b):
    return b.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\t", b"\\t").decode("latin1")

def unesc(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(s[i+1], s[i+1])); i += 2
        else:
            out.append(s[i]); i += 1
    return "".join(out)

def probe(prog, flags, cond, msg):
    d = tempfile.mkdtemp(prefix="pmre.")
    try:
        rc = os.path.join(d, "rc")
        with open(rc, "w", encoding="latin1") as f:
            f.write(RC.format(flags=flags, cond=cond))
        subprocess.run(prog + ["-m", "MAILDIR=" + d, "DEFAULT=/dev/null",
                       "LOGFILE=" + d + "/log", rc], input=msg,
                       capture_output=True, timeout=20)
        log = open(d + "/log", "rb").read() if os.path.exists(d + "/log") else b""
        i = log.find(b"R=")
        j = log.find(b"@END@")
        if i < 0 or j < 0:
            return None
        body = log[i:j]
        r = body[2:body.index(b" S=")]
        s = body[body.index(b" S=") + 3:body.index(b" M=")]
        m = body[body.index(b" M=") + 3:]
        return ("1" if r == b"yes" else "0", s.decode(), "-" if m == b"@UNSET@" else esc(m))
    finally:
        subprocess.run(["rm", "-rf", d])

def rows():
    for cond in PATTERNS:
        for flags in FLAGS:
            for mi in range(len(MSGS)):
                yield flags, cond, mi
    # weighted counting
    for cond in ["1^1 e", "1^1 ^.*$", "2^0.5 a", "-1^1 o", "1^1 ^", "1^1 $",
                 "10^0 printer", "1^1 (abc)", "1^1 [a-z]+", "3^2 ^Subject",
                 "1^1 ^[^:]+:", "-5^0 ! zzz", "1^1 \\<a", "1^1 a\\>"]:
        for flags in ["", "B", "HB"]:
            for mi in range(len(MSGS)):
                yield flags, cond, mi

def main(argv):
    prog = ["procmail"]
    check, sample = None, None
    while argv:
        a = argv.pop(0)
        if a == "--program": prog = shlex.split(argv.pop(0))
        elif a == "--check": check = argv.pop(0)
        elif a == "--sample": sample = int(argv.pop(0))
    if check is None:
        for flags, cond, mi in rows():
            got = probe(prog, flags, cond, MSGS[mi])
            if got is None:
                continue
            r, s, m = got
            print("\t".join([flags, esc(cond.encode("latin1")), str(mi), r, s, m]))
        return 0
    lines = [l.rstrip("\n").split("\t") for l in open(check, encoding="latin1")]
    if sample:
        random.seed(1)
        lines = random.sample(lines, min(sample, len(lines)))
    bad = 0
    for flags, cond, mi, r, s, m in lines:
        got = probe(prog, flags, unesc(cond), MSGS[int(mi)])
        if got != (r, s, m):
            bad += 1
            print("MISMATCH", flags, cond, mi, "want", (r, s, m), "got", got)
    print("%d probes, %d mismatches" % (len(lines), bad))
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
