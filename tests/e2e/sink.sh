# sink.sh - start and stop tests/smtp-sink.py on a free loopback port.
# Source after lib.sh. sink_start DIR sets SINK_PORT and SINK_MODE (the
# file whose contents set the sink's behaviour); the sink is stopped at
# exit. sink_count DIR prints how many messages it recorded.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() { # PORT: until something listens (bounded)
  python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(400):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.025)
sys.exit(1)
PY
}
sink_start() { # DIR [PORT [more smtp-sink.py options]]
  mkdir -p "$1"
  _dir=$1
  SINK_PORT=${2:-$(free_port)}
  SINK_MODE=$1.mode
  shift; [ $# -gt 0 ] && shift
  [ -f "$SINK_MODE" ] || echo ok > "$SINK_MODE"
  python3 "$ROOT/tests/smtp-sink.py" --port "$SINK_PORT" --out "$_dir" \
    --mode-file "$SINK_MODE" --pidfile "$_dir.pid" "$@" &
  at_exit "kill $! 2>/dev/null"
  for _ in $(seq 1 400); do [ -s "$_dir.pid" ] && return 0; sleep 0.025; done
  return 1
}
sink_stop() { # DIR
  [ -f "$1.pid" ] && kill "$(cat "$1.pid")" 2>/dev/null
  rm -f "$1.pid"
  sleep 0.2
}
sink_count() { # DIR
  ls "$1" 2>/dev/null | grep -c '\.eml$'
}
