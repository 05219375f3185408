#!/usr/bin/env bash
# The dev chain for the sandbox: start | stop | status.
#   start: runs scripts/devchain/server.py --sandbox on 127.0.0.1:${SWITCHYARD_DEVCHAIN_PORT:-8545} in the
#          background (log and pid under .sandbox/), waits until it answers, prints the URL to export.
# Tests do not need this: they start their own dev chain on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SWITCHYARD_DEVCHAIN_PORT:-8545}"
state=.sandbox
mkdir -p "$state"

running() { [[ -f "$state/devchain.pid" ]] && kill -0 "$(cat "$state/devchain.pid")" 2>/dev/null; }

case "${1:-}" in
start)
    if running; then echo "dev chain already running (pid $(cat "$state/devchain.pid"))"; exit 0; fi
    ./scripts/setup.sh --python
    .venv/bin/python scripts/devchain/server.py --port "$port" --sandbox >"$state/devchain.out" 2>"$state/devchain.log" &
    echo $! >"$state/devchain.pid"
    for _ in $(seq 1 100); do
        if [[ -s "$state/devchain.out" ]]; then
            echo "dev chain on http://127.0.0.1:$port (sandbox token 0xF2E246BB76DF876Cef8b38ae84130F4F55De395b)"
            echo "  export SWITCHYARD_DEVCHAIN_URL=http://127.0.0.1:$port"
            echo "  export SWITCHYARD_SANDBOX_SIGNER_KEY=0x0000000000000000000000000000000000000000000000000000000000000002  # dev account 2: never on a real network"
            exit 0
        fi
        running || { echo "dev chain failed to start:" >&2; cat "$state/devchain.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "dev chain did not become ready; see $state/devchain.log" >&2
    exit 1
    ;;
stop)
    if running; then kill "$(cat "$state/devchain.pid")"; echo "dev chain stopped"; else echo "dev chain not running"; fi
    rm -f "$state/devchain.pid"
    ;;
status)
    if running; then echo "running (pid $(cat "$state/devchain.pid")) on port $port"; else echo "not running"; exit 1; fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
