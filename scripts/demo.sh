#!/usr/bin/env bash
# The first command: set up, build, bring up the whole sandbox (two dev chains with their tokens,
# the bank simulator, the FX dealer, the off-ramp partner), serve the HTTP API on it, and run
# `switchyard demo`: sample payments quoted and paid through the API on all three executing rails,
# watched until they settle. Everything runs on loopback and stops when this script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --python
swift build --product switchyard
swift build --product switchyard-sandbox
bin="$(swift build --show-bin-path)/switchyard"
sandbox_bin="$(swift build --show-bin-path)/switchyard-sandbox"  # the simulated counterparts, apart from the shipped binary

"$bin" config check
data=.switchyard-sandbox
rm -rf "$data"
mkdir -p "$data"
pids=()
cleanup() {
    # SIGTERM: the server drains and hands its leases back; the sandbox stops its counterparts.
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_for_line() {  # waits for a process's first line on standard output
    for _ in $(seq 1 240); do
        if [[ -s "$1" ]]; then head -n 1 "$1"; return; fi
        sleep 0.25
    done
    echo "$2 did not start; see ${1%.out}.log" >&2
    exit 1
}

echo "== Bringing up the sandbox (switchyard-sandbox up)"
"$sandbox_bin" up --data-dir "$data" >"$data/sandbox.out" 2>"$data/sandbox.log" &
pids+=($!)
wait_for_line "$data/sandbox.out" "the sandbox" >/dev/null
.venv/bin/python -c 'import json,sys; [print(f"  {k}: {v}") for k, v in json.load(sys.stdin)["counterparts"].items()]' <"$data/sandbox.json"

echo "== Serving the API on the sandbox (switchyard serve)"
SWITCHYARD_DATA_DIR="$data" "$bin" keys create --scope write --label demo >"$data/demo.key"
"$bin" serve --config "$data/config" --data-dir "$data" --port 0 >"$data/serve.out" 2>"$data/serve.log" &
pids+=($!)
url="$(wait_for_line "$data/serve.out" "switchyard serve" | awk '{print $NF}')"
echo "  $url (OpenAPI: $url/openapi.json; logs in $data/serve.log)"

"$bin" demo --url "$url" --key-file "$data/demo.key"
