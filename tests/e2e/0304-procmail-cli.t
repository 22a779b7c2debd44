#!/bin/sh
# 0304-procmail-cli.t - ackmail procmail's command line against the real
# procmail: -t (requeue instead of a bounce), -p (keep the environment,
# else only TZ), -z (LMTP: refused as Debian's procmail refuses it), -d
# recipient as root (a throwaway user: its uid, its HOME, its
# ~/.procmailrc) and -d for an unknown user, -f/-r and the From_ line.
. "$(dirname "$0")/lib.sh"
command -v procmail >/dev/null || skip_all "procmail not installed"
MSG=$CORPUS/$(sed -n 3p "$ROOT/tests/procmail-diff/messages.txt")
printf 'LOG="FOO=$FOO TZ=$TZ\n"\n:0\n/nonexistent/x/y\n' > "$T/fail.rc"
printf 'DEFAULT=/nonexistent/q\n:0\n/nonexistent/x/y\n' > "$T/faildef.rc"
run() { # PROG OPTS RC -> "exit N" and the log
  rm -rf "$T/s"; mkdir -p "$T/s/mail"
  env -i PATH=/usr/bin:/bin FOO=1 TZ=UTC HOME="$T/s" $1 $2 -m \
    "LOGFILE=$T/s/log" "MAILDIR=$T/s/mail" "$3" < "$MSG"
  echo "exit $?"
  sed "s#$T#T#g" "$T/s/log"
}
for opts in "" -p -t "-p -t"; do
  a=$(run procmail "$opts" "$T/fail.rc")
  b=$(run "$ACKMAIL procmail" "$opts" "$T/fail.rc")
  is "$b" "$a" "[$opts] fail.rc: exit code and log as procmail's"
done
# an unwritable DEFAULT: the lock cannot be made, procmail tries it 8
# times LOCKSLEEP apart (LOCKSLEEP=0 here, so no waiting), then bounces
# (73; with -t requeues, 75); VERBOSE=on traces every try
printf 'LOCKSLEEP=0\nDEFAULT=/nonexistent/q\n:0\n/nonexistent/x/y\n' > "$T/faildef.rc"
printf 'VERBOSE=on\n' | cat - "$T/faildef.rc" > "$T/faildefv.rc"
for rc in faildef faildefv; do
  for opts in "" -t; do
    a=$(run procmail "$opts" "$T/$rc.rc" | sed -E '/^procmail: \[/d; s#/_[^/"]+"$#/TMP"#')
    b=$(run "$ACKMAIL procmail" "$opts" "$T/$rc.rc" | sed -E '/^procmail: \[/d; s#/_[^/"]+"$#/TMP"#')
    is "$b" "$a" "[$opts] $rc.rc: unwritable DEFAULT, exit code and log as procmail's"
  done
done
echo "$b" | sed -n '1p;$p' | tr -s ' 	' ' ' | tr '\n' '|' | grep -q '^exit 75| Folder: \*\*Requeued\*\* 0|$'
ok $? "unwritable DEFAULT with -t: requeued, 75"
[ "$(echo "$b" | grep -c 'Locking "/nonexistent/q.lock"')" = 8 ]
ok $? "unwritable DEFAULT: the lock is tried 8 times"
# -f / -r: a new From_ line with the sender and the current time (-f -
# keeps the old sender); none is made without them in -m mode
printf ':0:\nmbox\n' > "$T/mbox.rc"
printf 'From: x@example.com\nSubject: t\n\nbody\n' > "$T/nofrom.eml"
for m in "$MSG" "$T/nofrom.eml"; do
  for args in "-f bob@example.org" "-f -" "-r bob@example.org" ""; do
    for prog in procmail "$ACKMAIL procmail"; do
      rm -rf "$T/f"; mkdir "$T/f"
      env -i PATH=/usr/bin:/bin "HOME=$T/f" $prog $args -m "MAILDIR=$T/f" \
        "$T/mbox.rc" < "$m"
      echo "exit $?" > "$T/f.${prog##*/}"
      sed -E '1s/[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$/TIME/' "$T/f/mbox" >> "$T/f.${prog##*/}"
    done
    is "$(cat "$T/f.ackmail procmail")" "$(cat "$T/f.procmail")" \
      "[$args] ${m##*/}: the From_ line as procmail makes it"
  done
done
# an rc file anyone may write is refused ("Suspicious rcfile"), also
# in a world-writable directory without the sticky bit
mkdir "$T/ww"
printf ':0\nx\n' > "$T/ww/w.rc"
for mode in 646 644; do
  for dmode in 755 777 1777; do
    chmod $mode "$T/ww/w.rc"; chmod $dmode "$T/ww"
    a=$(run procmail "" "$T/ww/w.rc")
    b=$(run "$ACKMAIL procmail" "" "$T/ww/w.rc")
    is "$b" "$a" "rc file $mode in a directory $dmode: as procmail"
  done
done
chmod 755 "$T/ww"
out=$("$ACKMAIL" procmail -z < "$MSG" 2>&1); st=$?
is "$st" 64 "-z (LMTP) is refused with 64, as procmail without LMTP"
case $out in *LMTP*) ok 0 "-z says why" ;; *) ok 1 "-z says why: $out" ;; esac
"$ACKMAIL" procmail -d no-such-user-ackmail < "$MSG" 2>/dev/null; st=$?
is "$st" 67 "-d unknown user: 67 (EX_NOUSER), as procmail"
if [ "$(id -u)" = 0 ] && command -v useradd >/dev/null; then
  u=amtest$$ h=$T/home
  mkdir "$h"
  useradd -M -d "$h" -s /bin/sh "$u" && at_exit "userdel $u 2>/dev/null; rm -f /var/mail/$u"
  chown "$u" "$h"
  printf 'LOGFILE=$HOME/log\nCOMSAT=no\n:0\n* ^Subject:\\/.*\nsub-$LOGNAME/\n' > "$h/.procmailrc"
  chmod 644 "$h/.procmailrc"
  for prog in procmail "$ACKMAIL procmail"; do
    env -i PATH=/usr/bin:/bin $prog -d "$u" < "$MSG"
    echo "exit $?" > "$T/out.${prog##*/}"
    (cd "$h" && find . -path ./.procmailrc -prune -o -type f -printf '%u %P\n' |
      sed -E 's#/new/.*#/new/X#' | sort
     sed -E 's#/new/[^ ]*#/new/X#; s/[ \t]+([0-9]+)$/ \1/' log
     rm -rf sub-* log) >> "$T/out.${prog##*/}"
  done
  is "$(cat "$T/out.ackmail procmail" 2>/dev/null || cat "$T/out.procmail ")" \
    "$(cat "$T/out.procmail")" "-d $u as root: same files, owner and log as procmail"
  grep -q "^$u sub-$u/new/X" "$T/out.procmail" ; ok $? "-d: delivered as $u into its home"
  # several recipients: one delivery each; an unknown one among them: 73
  u2=amtest2$$ h2=$T/home2
  mkdir "$h2"
  useradd -M -d "$h2" -s /bin/sh "$u2" && at_exit "userdel $u2 2>/dev/null; rm -f /var/mail/$u2"
  chown "$u2" "$h2"
  cp "$h/.procmailrc" "$h2/.procmailrc"
  for prog in procmail "$ACKMAIL procmail"; do
    : > "$T/multi.${prog##*/}"
    for args in "$u $u2" "$u no-such-user-ackmail $u2"; do
      env -i PATH=/usr/bin:/bin $prog -d $args < "$MSG" 2>/dev/null
      echo "[$args] exit $?" >> "$T/multi.${prog##*/}"
      (cd "$T" && find home home2 -path '*/sub-*' -type f -printf '%u %h\n' |
        sed -E 's#/new$##' | sort) >> "$T/multi.${prog##*/}"
      rm -rf "$h"/sub-* "$h2"/sub-* "$h/log" "$h2/log"
    done
  done
  is "$(cat "$T/multi.ackmail procmail")" "$(cat "$T/multi.procmail")" \
    "-d with several recipients: same deliveries and exit codes as procmail"
  [ "$(grep -c "^$u2 home2/sub-$u2" "$T/multi.ackmail procmail")" = 2 ]
  ok $? "-d $u $u2: the second recipient got both messages, as its own"
  # /etc/procmailrc: read before ~/.procmailrc without an rc file on the
  # command line; with -d as root (the switch to the recipient comes
  # after it), even with -p. Only inside a private mount namespace with an
  # overlay on /etc, so nobody else on the machine ever sees the file.
  in_etc_ns() { # ETCRC CMD...: CMD with /etc/procmailrc = ETCRC
    unshare -m sh -c 'mount --make-rprivate / &&
      mount -t overlay overlay -o lowerdir=/etc,upperdir=$0/u,workdir=$0/w /etc &&
      cp "$1" /etc/procmailrc && chmod 644 /etc/procmailrc &&
      shift && exec "$@"' "$T/ovl" "$@"
  }
  mkdir -p "$T/ovl/u" "$T/ovl/w" "$T/etcbox"
  if in_etc_ns /dev/null true 2>/dev/null && [ ! -e /etc/procmailrc ]; then
    rm -rf "$T/ovl"; mkdir -p "$T/ovl/u" "$T/ovl/w"
    printf 'ETCVAR="uid`id -u` $HOME $LOGNAME"\n' > "$T/etc1.rc"
    printf 'LOGFILE=%s/etclog\n:0\n* ^Subject:\n%s/etcbox/\n' "$T" "$T" > "$T/etc2.rc"
    # where /etc/procmailrc runs (the caller's directory, MAILDIR unset),
    # where the user's rc starts (HOME, or the MAILDIR /etc/procmailrc set)
    printf 'LOGFILE=%s/etclog\nLOG="etc: pwd=`pwd` MAILDIR=${MAILDIR-unset}\n"\n:0 c\netcrel/\n' "$T" > "$T/etc3.rc"
    printf 'MAILDIR=%s/md\nLOGFILE=%s/etclog\nLOG="etc: pwd=`pwd` MAILDIR=$MAILDIR\n"\n' "$T" "$T" > "$T/etc4.rc"
    mkdir -p "$T/md" "$T/cwd"; chown "$u" "$T/md"
    printf 'LOGFILE=$HOME/log\nCOMSAT=no\nLOG="user: etcvar=$ETCVAR uid=`id -u` pwd=`pwd` MAILDIR=$MAILDIR\n"\n:0\n* ^Subject:\\/.*\nsub-$LOGNAME/\n' > "$h/.procmailrc"
    for prog in procmail "$ACKMAIL procmail"; do
      : > "$T/etc.${prog##*/}"
      for c in "etc1.rc -d $u" "etc1.rc -p -d $u" "etc2.rc -d $u" "etc3.rc -d $u" "etc4.rc -d $u"; do
        set -- $c
        rc=$1; shift
        rm -rf "$T/ovl"; mkdir -p "$T/ovl/u" "$T/ovl/w"
        (cd "$T/cwd" && in_etc_ns "$T/$rc" env -i PATH=/usr/bin:/bin $prog "$@" < "$MSG" 2>/dev/null)
        echo "[$c] exit $?" >> "$T/etc.${prog##*/}"
        (cd "$T" && find home etcbox cwd md -path home/.procmailrc -prune -o -type f -printf '%u %h\n' |
          sed -E 's#/(new|cur|tmp)$##' | sort
         sed -E 's#/new/[^ ]*#/new/X#; s/[ \t]+([0-9]+)$/ \1/' home/log etclog 2>/dev/null
         rm -rf home/sub-* home/log etcbox/* etclog cwd/* md/*) >> "$T/etc.${prog##*/}"
      done
    done
    is "$(cat "$T/etc.ackmail procmail")" "$(cat "$T/etc.procmail")" \
      "/etc/procmailrc before ~/.procmailrc with -d (as root), with -p too: as procmail"
    grep -q "^user: etcvar=uid0 $h $u uid=$(id -u "$u")" "$T/etc.procmail"
    ok $? "procmail ran /etc/procmailrc as root, then ~/.procmailrc as $u"
    grep -q "^root etcbox" "$T/etc.ackmail procmail"
    ok $? "a delivery in /etc/procmailrc is made as root, as procmail"
    grep -q "^etc: pwd=$T/cwd MAILDIR=unset" "$T/etc.ackmail procmail" &&
      grep -q "^root cwd/etcrel" "$T/etc.ackmail procmail" &&
      grep -q "^user: .* pwd=$h MAILDIR=$h" "$T/etc.ackmail procmail"
    ok $? "/etc/procmailrc runs in the caller's directory, MAILDIR unset; ~/.procmailrc in HOME"
    grep -q "^user: .* pwd=$T/md MAILDIR=$T/md" "$T/etc.ackmail procmail" &&
      grep -q "^$u md/sub-$u" "$T/etc.ackmail procmail"
    ok $? "~/.procmailrc starts in the MAILDIR /etc/procmailrc set, as procmail"
  else
    ok 0 "# SKIP /etc/procmailrc: no private mount namespace with overlayfs, or the file exists"
    ok 0 "# SKIP"
    ok 0 "# SKIP"
    ok 0 "# SKIP"
    ok 0 "# SKIP"
  fi
else
  ok 0 "# SKIP -d as root needs root and useradd"
fi
# -m with a relative rc file: read from the current directory, which stays
# the working directory (MAILDIR=.); an absolute one moves to $HOME
mkdir -p "$T/rel/sub"
printf 'LOGFILE=%s/rel/log\nLOG="MD=$MAILDIR\n"\nD=`pwd`\nLOG="PWD=$D\n"\n:0\nout/\n' "$T" > "$T/rel/sub/r.rc"
chmod 644 "$T/rel/sub/r.rc"
for prog in procmail "$ACKMAIL procmail"; do
  (cd "$T/rel" && HOME=$T/rel/sub $prog -m sub/r.rc < "$MSG"; echo "exit $?"
   grep -E '^(MD|PWD)=' log; find . -path './out/new/*' -type f | wc -l; rm -rf log out) > "$T/rel.${prog##*/}" 2>&1
done
is "$(cat "$T/rel.ackmail procmail" 2>/dev/null || cat "$T/rel.procmail ")" "$(cat "$T/rel.procmail")" \
  "-m sub/r.rc: read from the current directory, MAILDIR=. there, as procmail"
done_testing
