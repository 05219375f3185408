#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and local runs: no systemd, a new data directory in a
# temporary folder, a free loopback port, trust authentication on loopback only.
#   start [--exit-with PID]: starts one and prints {"url": …, "dir": …} on one line. With
#          --exit-with, a watcher stops the server and removes its folder once PID has exited.
#   stop DIR: stops the server started in DIR and removes DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$bin" ]] || { echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)" >&2; exit 1; }
    echo "$bin"
}

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Hold none of the caller's descriptors, nor let the server or the watcher inherit them: a caller
# waiting for EOF on one of its own (Foundation's Process does) must not wait for the server.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
done

case "${1:-}" in
start)
    bin=$(pg_bin)
    dir=$(mktemp -d -t switchyard-postgres.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    # A free port: bind, read it, close; the server takes it a moment later.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    if [[ "${2:-}" == "--exit-with" && -n "${3:-}" ]]; then
        watched=$3
        (
            while kill -0 "$watched" 2>/dev/null; do sleep 1; done
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
            rm -rf "$dir"
        ) </dev/null >/dev/null 2>&1 &
        disown
    fi
    echo "{\"url\": \"postgres://postgres@127.0.0.1:$port/postgres\", \"dir\": \"$dir\"}"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop DIR}
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: scripts/postgres.sh start [--exit-with PID] | stop DIR" >&2
    exit 2
    ;;
esac
