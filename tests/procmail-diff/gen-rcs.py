#!/usr/bin/env python3
"""gen-rcs.py - writes the differential test's rc files into rc/.
Each is a small procmailrc exercising one feature; run the same rc and
message through procmail and ackmail procmail (procmail-oracle)."""
import os
os.makedirs("rc", exist_ok=True)
R = {}
def rc(name, text): R[name] = text

FOLDERS = ["mbox", "md/", "mh/."]
HDRS = ["^Subject:.*(re|fwd)", "^From:.*example", "^To:.*@", "^Content-Type:.*multipart",
        "^Received:.*from", "^Message-ID:.*@", "^Date:.*20", "^X-Mailer:", "^MIME-Version: 1\\.0",
        "^Return-Path:.*<>", "^Precedence:.*(bulk|junk|list)", "^List-Id:", "^Auto-Submitted:",
        "^Subject:.*(delivery|undeliver|failure|returned)", "^Content-Transfer-Encoding:.*base64",
        "^Subject: *$", "^Cc:", "^Reply-To:", "^In-Reply-To:", "^References:"]
for i, h in enumerate(HDRS):
    for j, f in enumerate(FOLDERS):
        rc("hdr%02d-%d" % (i, j), ":0%s\n* %s\n%s\n" % (":" if f == "mbox" else "", h, f))
# flags
rc("flag-D", ":0 D\n* ^subject:\nlower/\n:0\n* ^Subject:\nupper/\n")
rc("flag-B", ":0 B\n* (unsubscribe|http|www)\nbody/\n")
rc("flag-HB", ":0 HB\n* (boundary|charset)\nhb/\n")
rc("flag-H-B", ":0 HB\n* ^Subject:.*\n* ^$\nhb2/\n")
rc("flag-A", ":0\n* ^From:\n{ }\n:0 A\n* ^Subject:\nboth/\n")
rc("flag-A-fail", ":0\n* ^X-Nonexistent-Header:\n{ }\n:0 A\nshouldnot/\n:0\nrest/\n")
rc("flag-a", ":0 c\n* ^From:\ncopy1/\n:0 a\nafter/\n")
rc("flag-E", ":0\n* ^X-Nope:\nnope/\n:0 E\n* ^Subject:\nelse/\n")
rc("flag-E-chain", ":0\n* ^X-Nope:\nnope/\n:0 E\n* ^X-Nope2:\nnope2/\n:0 E\nlast/\n")
rc("flag-e", ":0\n* ^From:\n/nonexistent/dir/x/y\n:0 e\nerrhandler/\n")
rc("flag-c", ":0 c\ncopy/\n:0\norig/\n")
rc("flag-c-mbox", ":0 c:\ncopybox\n:0:\norigbox\n")
rc("flag-h", ":0 h\n| cat > headonly\n")
rc("flag-b", ":0 b\n| cat > bodyonly\n")
rc("flag-hc", ":0 hc\nheaders/\n:0\nall/\n")
rc("flag-bc", ":0 bc:\nbodies\n:0\nall/\n")
rc("flag-f", ":0 fw\n| sed -e 's/^Subject:/Subject: [filtered]/'\n:0\nfiltered/\n")
rc("flag-fh", ":0 fhw\n| sed -e '1i\\\nX-Added: yes'\n:0\nfh/\n")
rc("flag-fb", ":0 fbw\n| tr a-z A-Z\n:0\nfb/\n")
rc("flag-w-fail", ":0 w\n| false\n:0\nafterfail/\n")
rc("flag-W", ":0 W\n| exit 3\n:0\nafterW/\n")
rc("flag-i", ":0 fi\n| head -c 100\n:0\nai/\n")
rc("flag-r", ":0 r:\nraw\n")
rc("flag-f-fail", ":0 fw\n| exit 1\n:0\nunfiltered/\n")
# conditions
rc("cond-neg", ":0\n* !^X-Spam-Flag: YES\nnotspam/\n")
rc("cond-neg2", ":0\n* ! ^Subject:\nnosubject/\n:0\nsubject/\n")
rc("cond-multi", ":0\n* ^From:\n* ^To:\n* ^Subject:\nmulti/\n")
rc("cond-dollar", "WANT=Subject\n:0\n* $ ^$WANT:\ndollar/\n")
rc("cond-dollar-quote", "PAT=a.b\n:0\n* $ $\\PAT\nquoted/\n:0\nnotquoted/\n")
rc("cond-prog-true", ":0\n* ? true\nprogtrue/\n")
rc("cond-prog-false", ":0\n* ? false\nprogfalse/\n:0\nprogelse/\n")
rc("cond-prog-grep", ":0\n* ? grep -qi '^Subject:'\nprog-grep/\n")
rc("cond-prog-neg", ":0\n* ! ? false\nnegprog/\n")
rc("cond-size-lt", ":0\n* < 3000\nsmall/\n:0\nlarge/\n")
rc("cond-size-gt", ":0\n* > 10000\nhuge/\n:0\nnormal/\n")
rc("cond-var", "X=hello world\n:0\n* X ?? world\nvar/\n")
rc("cond-var-neg", "X=hello\n:0\n* ! X ?? ^^hello$^^\nvarneg/\n:0\nvarpos/\n")
rc("cond-B-qq", ":0\n* B ?? (html|http)\nbq/\n:0\nnbq/\n")
rc("cond-H-qq", ":0 B\n* H ?? ^From:\nhq/\n")
rc("cond-HB-qq", ":0\n* HB ?? ^Content-Type:\nhbq/\n")
rc("cond-continued", ":0\n* ^Subject:.*\\\n   (a|e)\ncont/\n")
rc("cond-comment-lines", ":0\n# a comment between conditions\n* ^From:\n\n* ^Date:\ncommented/\n")
rc("cond-empty", ":0\n*\nempty/\n")
rc("cond-backslash", ":0\n* \\!\nbang/\n:0\nnobang/\n")
# macros
rc("macro-TO_", ":0\n* ^TO_(postmaster|root|support)@\nto_/\n:0\nother/\n")
rc("macro-TO", ":0\n* ^TOexample\nto/\n")
rc("macro-FROM_DAEMON", ":0\n* ^FROM_DAEMON\ndaemon/\n:0\nhuman/\n")
rc("macro-FROM_MAILER", ":0\n* ^FROM_MAILER\nmailer/\n:0\nnotmailer/\n")
rc("macro-both", ":0\n* !^FROM_DAEMON\n* !^FROM_MAILER\nreal/\n")
# MATCH
rc("match-subject", ":0\n* ^Subject:\\/.*\n{ SUBJ=$MATCH }\n:0\n* SUBJ ?? ()\\/[a-z]+\nm-$MATCH/\n")
rc("match-from", ":0\n* ^From:.*\\/[a-z0-9.]+@\nfrom-$MATCH/\n:0\nnomatch/\n")
rc("match-domain", ":0\n* ^From:.*@\\/[-a-z0-9]+\ndom-$MATCH/\n:0\nnodom/\n")
rc("match-msgid", ":0\n* ^Message-ID: *<\\/[^@>]+\n{ ID=$MATCH }\n:0\n* ID ?? ^^\\/[a-z0-9]\nid-$MATCH/\n")
rc("match-nested", ":0\n* ^Subject:\\/.*\n* MATCH ?? \\/[0-9]+\nnum-$MATCH/\n:0\nnonum/\n")
rc("match-date", ":0\n* ^Date:.*\\/(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\nday-$MATCH/\n:0\nnoday/\n")
rc("match-content", ":0\n* ^Content-Type: *\\/[a-z]+\nct-$MATCH/\n:0\nnoct/\n")
rc("match-longest", ":0\n* ^Received: \\/from [^ ]+\n{ R=$MATCH }\n:0\n* R ?? from \\/.*\nrecv-$MATCH/\n:0\nnorecv/\n")
# scoring
rc("score-lines", ":0 B\n* -20^0\n* 1^1 ^.*$\nlong/\n:0\nshort/\n")
rc("score-words", ":0 HB\n* 1^1 the\n* -30^0\nmanythe/\n:0\nfewthe/\n")
rc("score-exp", ":0\n* 100^0 ^Subject:.*(re|fwd)\n* 20^1 ^Received:\n* -50^0 ^From:.*(noreply|daemon)\nscored/\n:0\nunscored/\n")
rc("score-half", ":0 B\n* 10^.5 e\n* -19^0\nhalf/\n:0\nnothalf/\n")
rc("score-size", ":0\n* 1^1 > 2000\n* -1^0\nbigscore/\n:0\nsmallscore/\n")
rc("score-size-lt", ":0\n* 1^1 < 4000\n* -1^0\nsmallish/\n:0\nbiggish/\n")
rc("score-prog", ":0\n* 5^-10 ? grep -q Subject\nprogscore/\n:0\nnoprogscore/\n")
rc("score-var", ":0\n* 2^1 ^Received:\n{ S=$= }\n:0\n* S ?? ^^[0-9]^^\nfew-$S/\n:0\nmany/\n")
rc("score-neg", ":0\n* -1^0 ^Subject:\n* 2^0 ^From:\npos/\n:0\nneg/\n")
rc("score-mixed", ":0\n* ^From:\n* 1^0 ^To:\nmixed/\n:0\nnotmixed/\n")
rc("score-negated-re", ":0\n* 3^0 !^X-Spam\n* -2^0\nnegre/\n")
rc("score-max", ":0\n* 2147483647^0 ^From:\n* -1000^0 ^To:\nmaxed/\n")
rc("score-inf", ":0 B\n* 1^1 ^\n* -100000^0\ninf/\n:0\nnotinf/\n")
rc("score-dollar", ":0\n* 1^1 ^Received:\n{ }\nLOG=\"score=$=\n\"\n:0\nafter/\n")
# variables and substitution
rc("var-default", "DEFAULT=$MAILDIR/inbox/\n")
rc("var-default-mbox", "DEFAULT=$MAILDIR/inbox.mbox\n")
rc("var-maildir", "MAILDIR=$MAILDIR/sub\n:0\nin-sub/\n")
rc("var-braces", "A=foo\n:0\n${A}bar/\n")
rc("var-default-op", ":0\n${UNSET:-fallback}/\n")
rc("var-alt-op", "A=x\n:0\n${A:+alt}/\n")
rc("var-minus", "A=\n:0\nx${A-unset}y/\n")
rc("var-plus", "A=\n:0\nx${A+set}y/\n")
rc("var-quotes", "A='lit $B'\nB=\"dq $A\"\nLOG=\"$B\n\"\n:0\nquotes/\n")
rc("var-backquote", "S=`echo sub`\n:0\n$S/\n")
rc("var-backquote-msg", "N=`grep -c '^Received:'`\n:0\nrecv-$N/\n")
rc("var-backquote-formail", "SUBJ=`formail -xSubject: | tr -dc a-zA-Z | cut -c1-10`\n:0\ns-$SUBJ/\n")
rc("var-capture", ":0\nX=| echo captured\n:0\n$X/\n")
rc("var-capture-msg", ":0 h\nLINES=| wc -l\n:0\nlines-$LINES/\n")
rc("var-capture-body", ":0 b\nW=| wc -c\n:0\nbytes-$W/\n")
rc("var-unset", "A=x\nA\n:0\nu${A:-nothing}/\n")
rc("var-comment", "A=value # a comment\n:0\n$A/\n")
rc("var-spaces", "A = spaced\n:0\n$A/\n")
rc("var-continued", "A=one\\\ntwo\n:0\n$A/\n")
rc("var-log", "LOG=\"hello log\n\"\n:0\nlogged/\n")
rc("var-logabstract-no", "LOGABSTRACT=no\n:0\nquiet/\n")
rc("var-exitcode", "EXITCODE=3\n:0\nexit3/\n")
rc("var-lastfolder", ":0 c\nfirst/\n:0\n* LASTFOLDER ?? first\nsawfirst/\n")
rc("var-msgprefix", "MSGPREFIX=m-\n:0\nmh/.\n")
rc("var-switchrc", "SWITCHRC=/dev/null\n:0\nnotreached/\n")
rc("var-includerc", "INCLUDERC=$_.inc\n:0\nafterinc/\n")
rc("var-host", "HOST=not-this-host\n:0\nnothost/\n")
rc("var-shellmetas", "SHELLMETAS=\n:0\n| sh -c 'cat > nometa'\n")
rc("var-umask", "UMASK=077\n:0\numask/\n")
rc("var-match-unset", ":0\n* ^Subject\n{ }\n:0\nm${MATCH:-none}/\n")
rc("var-dollar-hash", ":0\nargs$#/\n")
rc("var-underscore", ":0\n* _ ?? \\.rc$\nunderscore/\n")
rc("var-underscore-braces", "LOG=\"a=[$_] b=[${_}] c=[${_:-x}] d=[${_-y}] e=[${_:+z}] f=[$\\_] g=[$\\NOPE] h=[$\\$$\\#$\\=$\\-]\n\"\n"
    "X=`printenv _`\n_=foo\nY=`printenv _`\nLOG=\"X=[$X] Y=[$Y] i=[${_}] j=[$\\_]\n\"\n:0\n* _ ?? ^foo$\nfoo-${_}/\n")
rc("lock-fail", "LOCKSLEEP=0\nLOCKFILE=/nonexistent/x/g.lock\nLOG=\"lockfile=[$LOCKFILE]\n\"\n:0 wc:/nonexistent/l.lock\n| cat > /dev/null\n"
   ":0 c:/nonexistent/l.lock\n| cat > /dev/null\n:0:\n/nonexistent/x/mbox\n:0 e\n{ LOG=\"e\n\" }\nDEFAULT=/nonexistent/default\n")
rc("var-maildir-unset", "VERBOSE=on\nMAILDIR\nLOG=\"[$MAILDIR]\n\"\nMAILDIR=\nLOG=\"[$MAILDIR]\n\"\n:0\nmdunset/\n")
rc("var-trap", "TRAP='echo trapped > trapfile'\n:0\ntrap/\n")
rc("var-delivered", ":0 c\nd1/\nDELIVERED=yes\n:0\nd2/\n")
# deliveries
rc("del-mbox-lock", ":0:\nlocked.mbox\n")
rc("del-mbox-named-lock", ":0:my.lock\nnamed.mbox\n")
rc("del-mbox-nolock", ":0\nunlocked.mbox\n")
rc("del-maildir", ":0\nMaildir/\n")
rc("del-maildir-nested", ":0\nMail/sub/dir/\n")
rc("del-mh", ":0\nmhbox/.\n")
rc("del-mh-twice", ":0 c\nmhbox/.\n:0\nmhbox/.\n")
rc("del-mh-links", ":0\nmh1/. mh2/. mh3/.\n")
rc("del-mbox-skipped", ":0 c:\nbox a b/\n:0\nbox2 x\n")
rc("flag-c-extraneous", ":0 c\nX=| echo hi\nLOG=\"X=$X\n\"\n:0 fwc\n| cat\n:0\nafter/\n")
rc("del-maildir-links", ":0 c\nmd/ md2/ mh/.\n:0\nmh1/. md3/\n")
rc("del-devnull", ":0\n/dev/null\n")
rc("del-mixed-copy", ":0 c\nmd/\n:0 c:\nmb\n:0\nmh/.\n")
rc("del-pipe", ":0\n| cat > piped\n")
rc("del-pipe-nometa", ":0\n| tee pipedtee\n")
rc("del-pipe-lock", ":0:\n| cat >> pipelocked\n")
rc("del-pipe-fail", ":0\n| exit 1\n:0\nafterpipefail/\n")
rc("del-pipe-w", ":0 w\n| cat > pipew\n")
rc("del-pipe-continued", ":0\n| cat \\\n  > pipecont\n")
rc("del-forward", ":0\n! someone@example.org\n")
rc("del-forward-multi", ":0\n! a@example.org b@example.org\n")
rc("del-forward-copy", ":0 c\n! copy@example.org\n:0\nkept/\n")
rc("del-forward-flags", "SENDMAILFLAGS=-oi -t\n:0\n! x@example.org\n")
rc("del-nothing", "X=1\n")
rc("del-fallthrough", ":0\n* ^X-Nope:\nnope/\n")
rc("del-bounce", "DEFAULT=\n:0\n* ^X-Nope:\nnope/\n")
rc("del-bad-folder", ":0\n/nonexistent/dir/folder\n")
rc("del-bad-maildir", ":0\n/nonexistent/dir/md/\n")
# blocks
rc("block-simple", ":0\n* ^From:\n{\n  :0\n  * ^Subject:\n  inner/\n}\n:0\nouter/\n")
rc("block-nested", ":0\n{\n :0\n {\n  :0\n  * ^Date:\n  deep/\n }\n}\n")
rc("block-clone", ":0 c\n{\n  :0\n  cloned/\n}\n:0\nparent/\n")
rc("block-clone-var", "A=before\n:0 c\n{\n  A=inside\n  :0\n  clone-$A/\n}\n:0\nparent-$A/\n")
rc("block-assign", ":0\n* ^Subject:\n{ HAS=yes }\n:0\nhas-${HAS:-no}/\n")
rc("block-oneline", ":0\n{ :0\n  same-line/\n}\n")
rc("block-noaction", ":0\n{\n  X=1\n}\n:0\nafterblock/\n")
rc("block-else", ":0\n* ^X-Nope:\n{\n :0\n a/\n}\n:0 E\n{\n :0\n b/\n}\n")
rc("block-A-inside", ":0\n{\n :0\n * ^From:\n { }\n :0 A\n inA/\n}\n")
rc("block-filter", ":0\n{\n :0 fw\n | sed 's/^From:/X-Old-From:/'\n :0\n blockfilt/\n}\n")
# procmailex(5) examples
rc("ex-wall", ":0\n* ^From.*peter\n* ^Subject:.*compilers\n{\n   :0 c\n   ! william@somewhere.edu\n   :0\n   petcompil\n}\n:0\ninbox/\n")
rc("ex-todo", ":0 c\n* ^Subject:.*(re:)?.*(todo|meeting)\ntodo/\n:0\nrest/\n")
rc("ex-duplicates", ":0 Wh: msgid.lock\n| formail -D 8192 msgid.cache\n:0 a\ndupes/\n:0\nfirst/\n")
rc("ex-spam", ":0\n* ^Subject:.*(\\$\\$\\$|free|money|viagra)\nspam/\n")
rc("ex-list", ":0\n* ^(Sender|List-Id|Mailing-List|X-Mailing-List):.*\\/[a-z0-9-]+\nlist-$MATCH/\n:0\nnolist/\n")
rc("ex-bigmail", ":0\n* > 5000\nbig.mbox\n:0\nsmall.mbox\n")
rc("ex-procmailex-backup", ":0 c\nbackup\n:0 ic\n| cd backup && rm -f dummy `ls -t msg.* | sed -e 1,32d`\n:0\ninbox/\n")
rc("ex-autoreply", "SHELL=/bin/sh\n:0 Whc: vacation.lock\n* !^FROM_DAEMON\n* !^X-Loop: your@own.mail.address\n| formail -rD 8192 vacation.cache\n:0 ehc\n| (formail -rA\"Precedence: junk\" \\\n     -A\"X-Loop: your@own.mail.address\" ; \\\n   echo \"Mail received.\") | $SENDMAIL -t\n:0\ninbox/\n")
rc("ex-formail-rt", ":0 c\n* !^FROM_DAEMON\n| (formail -rt -I\"Precedence: junk\"; echo \"Thanks\") | $SENDMAIL -oi -t\n:0\nkept/\n")
rc("ex-formail-split", ":0\n* ^Content-Type:.*digest\n| formail -s procmail -m MAILDIR=$MAILDIR DEFAULT=$MAILDIR/split/\n:0\nnotdigest/\n")
rc("ex-formail-add", ":0 fw\n| formail -A 'X-Processed: yes' -I 'X-Mailer:'\n:0\nadded/\n")
rc("ex-formail-x", "FROM=`formail -rtzxTo:`\n:0\n* FROM ?? @\\/[a-z.]+\nf-$MATCH/\n:0\nnof/\n")
rc("ex-keep-subject", ":0 c\n* ^Subject:\\/.*\n| echo \"$MATCH\" > subjects\n:0\nkept/\n")
rc("ex-mailer-daemon", ":0\n* ^FROM_MAILER\n* ^Subject:.*(fail|undeliver|returned)\nbounce/\n:0\nok/\n")
rc("ex-x-loop", ":0\n* ^X-Loop:\nloop/\n:0 fhw\n| formail -A 'X-Loop: me@example.org'\n:0\nnoloop/\n")
rc("ex-charset", ":0\n* ^Content-Type:.*charset=\"?\\/[-a-z0-9_]+\ncs-$MATCH/\n:0\nnocs/\n")
rc("ex-8bit", ":0 B\n* [\x80-\xff]\neightbit/\n:0\nseven/\n")
rc("ex-crlf", ":0\n* \r$\ncrlf/\n:0\nlf/\n")
rc("ex-folded", ":0\n* ^Received:.*by\nfolded-by/\n:0\nnoby/\n")
rc("ex-from-line", ":0\n* ^^From \nhasfromline/\n:0\nnofromline/\n")
rc("ex-header-end", ":0 H\n* ^$^^\nhdrend/\n:0\nnohdrend/\n")
rc("ex-support-hook", "# support hook: a pipe to ackmail support is a normal pipe here\n:0 c\n* ^Subject:.*\\[#\\/[0-9]+\n| cat > ticket-$MATCH\n:0\ninbox/\n")
rc("var-lockfile", "LOCKFILE=global.lock\n:0\n* ? test -f global.lock\nheld/\nLOCKFILE\n:0\n* ! ? test -f global.lock\nreleased/\n")
rc("var-lockfile-end", "LOCKFILE=kept.lock\n:0\nlast/\n")
rc("var-trailing-ws", ":0\n* ^Subject:   \nsubjws/\n")
rc("var-shift", ":0\n$#-args/\n")
# VERBOSE=on: procmail's trace lines, compared with the log (run.sh -l -g verbose-)
for name in ["flag-c-mbox", "flag-f", "flag-e", "cond-prog-true",
             "cond-prog-grep", "cond-neg", "del-mh-links", "del-mbox-lock", "del-mixed-copy",
             "del-pipe-lock", "del-pipe-nometa", "del-bad-folder",
             "del-bad-maildir", "del-devnull", "del-forward-copy", "match-date", "match-subject",
             "macro-FROM_DAEMON", "score-size", "score-max", "var-capture", "var-backquote",
             "var-lockfile", "var-maildir", "var-trap", "var-host", "ex-formail-x", "block-clone",
             "var-underscore", "del-devnull", "cond-backslash", "match-nested"]:
    rc("verbose-" + name, "VERBOSE=on\n" + R[name])
rc("verbose-lock-fail", "VERBOSE=on\n" + R["lock-fail"])
# LINEBUF: condition and action lines that do not fit (procmail's
# "Exceeded LINEBUF": a condition fails, an action fails, a program whose
# expansion does not fit goes to the shell as written, lines read past
# are checked too); programs without SHELLMETAS are expanded by procmail
Q = "q" * 100
rc("linebuf-cond", "LINEBUF=128\nV=" + Q + "\nAAA=" + "y" * 70 + "\n"
   ":0\n* $ ^Subject.*${AAA}abc${V}\n* ^From\ncond1/\n"
   ":0\n* ! $ ^Subject.*${AAA}abc${V}\ncond2/\n"
   ":0\n* $ ! ${V}${V}\ncond3/\n"
   ":0\n* $ ${V:-x}\"${AAA}\"\ncond4/\n"
   ":0\n* $ V ?? $V$V\ncond5/\n"
   ":0\n* $ ? echo $V$V\ncond6/\n"
   ":0\n* 1^0 ^From\n* $ 2^0 ^Subject.*${AAA}abc${V}\n* 3^0 ^From\ncond7/\n"
   ":0\n* ^S" + "q" * 126 + "\ncond8/\n:0\n* ^S" + "q" * 125 + "\ncond9/\n"
   ":0\n* ! ^S" + "q" * 130 + "\n* ^From\ncond10/\n"
   ":0\n* $ ^S${V}" + "q" * 24 + "\ncond11/\n:0\n* $ ^S${V}" + "q" * 23 + "\ncond12/\n"
   ":0\n* 2147483647^0\n* ^S" + "q" * 130 + "\ncond13/\n"
   "LOG=\"score=$= overflow=$PROCMAIL_OVERFLOW\n\"\n")
rc("linebuf-skipped", "LINEBUF=128\n:0\n* ^Subject\n{ }\n:0 E\n* ^S" + "q" * 130 + "\ne/\n"
   ":0\n* ^X-Nope\n{\n  :0\n  * ^S" + "q" * 130 + "\n  inner/\n  :0\n  x" + "q" * 130 + "\n  X=" + "q" * 130 + "\n}\n"
   ":0\n* ^X-Nope\n* ^S" + "q" * 130 + "\nx" + "q" * 130 + "\n"
   ":0\n* ^X-Nope\n| x" + "q" * 127 + "\n:0\n* ^X-Nope\n! x" + "q" * 60 + "\n:0\n* ^X-Nope\n! x" + "q" * 130 + "\n")
rc("linebuf-action", "LINEBUF=128\nV=" + Q + "\n"
   ":0\n* ^Subject\n${V}${V}/\n:0 e\n{ LOG=\"e1\n\" }\n:0 A\n{ LOG=\"A1\n\" }\n"
   ":0\n! $V $V\n:0 e\n{ LOG=\"e2\n\" }\n"
   ":0\nx" + "q" * 122 + "\n:0 e\n{ LOG=\"e3\n\" }\n"
   ":0 c\nx" + "q" * 121 + "\n"
   ":0 wc\n| sed -e s/$V/$V/\n"
   ":0 w\n| sed -e s/" + "q" * 130 + "/x/\n:0 e\n{ LOG=\"e4\n\" }\n"
   ":0\nX=| sed -n 1s/$V/$V/p\nLOG=\"X=[$X]\n\"\n:0 a\nafter-capture/\n")
rc("pipe-expand", "V=abc\nW='a b'\nB=`echo $V x`\nLOG=\"B=$B\n\"\n:0\n* ? test $V = abc\nyes1/\n:0\n* ? echo $V\nyes2/\n"
   ":0 c\n| echo $V \"$W\" '$V' > /dev/null\n:0 wc\n| sh -c 'cat > expanded-$0' $V\n")
rc("linebuf-pipe-first", "LINEBUF=128\n:0\n| sed -e s/" + "q" * 130 + "/x/\n:0 e\nerr/\n")
for name in ["linebuf-cond", "linebuf-skipped", "linebuf-action", "pipe-expand"]:
    rc("verbose-" + name, "VERBOSE=on\n" + R[name])
rc("score-converge", ":0 B\n* 10^.5 e\n* -19.37^0\nconverges-past/\n:0 B\n* 100^.5 e\n* -199.2^0\nconverges-past2/\n:0\nshort/\n")
rc("verbose-score-converge", "VERBOSE=on\n" + R["score-converge"])
rc("verbose-del-forward-flags", "VERBOSE=on\n" + R["del-forward-flags"])
rc("verbose-score-half", "VERBOSE=on\n" + R["score-half"])
rc("verbose-clone-goes-on", "VERBOSE=on\n:0 c\n{\n  X=1\n  :0\n  * ^X-Nope\n  nope/\n}\n:0\nboth-$X/\n")
rc("verbose-timeout", "VERBOSE=on\nTIMEOUT=1\n:0 w\n| sleep 5\n:0 fw\n| sleep 5; cat\n:0\nafter/\n")
rc("verbose-comsat", "VERBOSE=on\nCOMSAT=yes\n:0 c:\ncopybox\n:0:\nmbox\n")
rc("verbose-comsat-maildir", "VERBOSE=on\nCOMSAT=on\n:0\nmd/\n")
rc("verbose-linebuf", "VERBOSE=on\nLINEBUF=128\nX=" + "x" * 130 + "\nY=`formail -czxReceived: | tr -d '\\n'`\nLOG=\"x=$X y=$Y\n\"\n:0\n* PROCMAIL_OVERFLOW ?? yes\noverflow/\n")
rc("verbose-W-reads", "VERBOSE=on\n:0 W\n| cat > /dev/null; exit 3\n:0 w\n| cat > /dev/null; exit 4\n:0\nafter/\n")
rc("verbose-score-neg", "VERBOSE=on\n:0\n* -1^1 ^Received:\n* 1^0 ! ^X-Nope\n* 1^0 ? exit 1\n* 200^0\nsc/\n")
rc("verbose-skip-and-match", "VERBOSE=on\n:0\n* ^Subject:\n* ! ^From:\n* ? exit 0\nnever/\n:0 B\n* $ ()\\/[a-z]+\nbody-$MATCH/\n")
for name, text in sorted(R.items()):
    with open("rc/%s.rc" % name, "w", encoding="latin1") as f:
        f.write(text)
with open("rc/var-includerc.rc.inc", "w") as f:
    f.write(":0\n* ^Subject:\nincluded/\n")
print(len(R))
