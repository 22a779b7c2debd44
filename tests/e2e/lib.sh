# lib.sh - shared helpers for the end-to-end TAP scripts. Source it.
# Gives: $ACKMAIL, $CORPUS, $T (a scratch directory removed at exit),
# TAP helpers (plan, ok, is, diag, done_testing) and skip_all.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${ACKMAIL:=$ROOT/filter/ackmail}"
CORPUS=$(cd "$ROOT/../shared/corpus" && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
export ACKMAIL_NO_SYSLOG=1
T=$(mktemp -d /tmp/ackmail-e2e.XXXXXX)
chmod 755 "$T"
_tap_n=0 _tap_fail=0
_cleanup_hooks=""
at_exit() { _cleanup_hooks="$1; $_cleanup_hooks"; }
trap 'eval "$_cleanup_hooks"; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
plan() { echo "1..$1"; }
ok() { # ok CONDITION-STATUS DESCRIPTION
  _tap_n=$((_tap_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"
  else echo "not ok $_tap_n - $2"; _tap_fail=$((_tap_fail + 1)); fi
}
is() { # is GOT EXPECTED DESCRIPTION
  if [ "$1" = "$2" ]; then ok 0 "$3"
  else ok 1 "$3"; echo "#   got:      '$1'"; echo "#   expected: '$2'"; fi
}
diag() { echo "# $*"; }
done_testing() { echo "1..$_tap_n"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
