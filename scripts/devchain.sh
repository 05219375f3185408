#!/usr/bin/env bash
# The dev chain for the sandbox: start | stop | status.
#   start: runs scripts/devchain/server.py on 127.0.0.1:${SWITCHYARD_DEVCHAIN_PORT:-8545} in the
#          background (log and pid under .sandbox/, one set per port), waits until it answers,
#          prints the URL to export.
#   SWITCHYARD_DEVCHAIN_SANDBOX=sdt (default): chain id 31337 with the 18-decimal sandbox deposit token.
#   SWITCHYARD_DEVCHAIN_SANDBOX=cnh: chain id 1030 with the 6-decimal sandbox CNH token, a block every second.
# Tests do not need this: they start their own dev chains on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SWITCHYARD_DEVCHAIN_PORT:-8545}"
sandbox="${SWITCHYARD_DEVCHAIN_SANDBOX:-sdt}"
state=.sandbox
mkdir -p "$state"
pidfile="$state/devchain-$port.pid"

case "$sandbox" in
sdt) args=(--chain-id 31337 --sandbox) ;;
cnh) args=(--chain-id 1030 --sandbox-cnh --block-time 1) ;;
*) echo "SWITCHYARD_DEVCHAIN_SANDBOX: sdt or cnh" >&2; exit 2 ;;
esac

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
    if running; then echo "dev chain already running on port $port (pid $(cat "$pidfile"))"; exit 0; fi
    ./scripts/setup.sh --python
    .venv/bin/python scripts/devchain/server.py --port "$port" "${args[@]}" >"$state/devchain-$port.out" 2>"$state/devchain-$port.log" &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
        if [[ -s "$state/devchain-$port.out" ]]; then
            echo "dev chain on http://127.0.0.1:$port (sandbox token 0xF2E246BB76DF876Cef8b38ae84130F4F55De395b)"
            if [[ "$sandbox" == sdt ]]; then
                echo "  export SWITCHYARD_DEVCHAIN_URL=http://127.0.0.1:$port"
                echo "  export SWITCHYARD_SANDBOX_SIGNER_KEY=0x0000000000000000000000000000000000000000000000000000000000000002  # dev account 2: never on a real network"
            else
                echo "  export SWITCHYARD_CNH_RPC_URL=http://127.0.0.1:$port"
                echo "  export SWITCHYARD_CNH_LIQUIDITY_KEY=0x0000000000000000000000000000000000000000000000000000000000000004  # dev account 4: never on a real network"
            fi
            exit 0
        fi
        running || { echo "dev chain failed to start:" >&2; cat "$state/devchain-$port.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "dev chain did not become ready; see $state/devchain-$port.log" >&2
    exit 1
    ;;
stop)
    if running; then kill "$(cat "$pidfile")"; echo "dev chain on port $port stopped"; else echo "dev chain on port $port not running"; fi
    rm -f "$pidfile"
    ;;
status)
    if running; then echo "running (pid $(cat "$pidfile")) on port $port"; else echo "not running on port $port"; exit 1; fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
