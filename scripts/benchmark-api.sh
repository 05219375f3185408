#!/usr/bin/env bash
# Measures the HTTP API with wrk on loopback (release build) and writes the figures to a file
# (default Benchmarks/results/api.txt), each beside its target:
#   POST /v1/quotes         req/s and p99, beside a bare Hummingbird endpoint in the same run
#   POST /v1/payments       payments accepted per second on SQLite with synchronous commits
# Usage: scripts/benchmark-api.sh [output-file] (DURATION=10s CONNECTIONS=32 THREADS=1 to change the load)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Benchmarks/results/api.txt}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-1}"
./scripts/setup.sh --python --bench
source scripts/release-flags.sh  # release=(...): how a binary to ship is built
swift build "${release[@]}" --product switchyard
swift build "${release[@]}" --product bare-hummingbird
bin="$(swift build "${release[@]}" --show-bin-path)"

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
wait_port() {  # the port on the "listening on http://127.0.0.1:PORT" line of $1
    for _ in $(seq 1 200); do
        if [[ -s "$1" ]]; then sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$1" | head -n 1; return; fi
        sleep 0.1
    done
    echo "a server did not start" >&2; exit 1
}
# wrk's "Requests/sec" and the 99th percentile latency in ms.
measure() {  # measure LABEL URL SCRIPT [ENV...]
    local label="$1" url="$2" script="$3"; shift 3
    env "$@" wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$url" >"$work/$label.wrk"
    local rps p99
    rps="$(awk '/^Requests\/sec/ {print $2}' "$work/$label.wrk")"
    p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/, "", v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v=v*1000}; print v}' "$work/$label.wrk")"
    local errors
    errors="$(awk '/Non-2xx/ {print $NF}' "$work/$label.wrk")"
    echo "$rps $p99 ${errors:-0}"
}

data="$work/data"
export SWITCHYARD_DATA_DIR="$data"
key="$("$bin/switchyard" keys create --scope write --label benchmark)"
# Bank A executes (its endpoint is never called: the API only accepts payments here), so its quotes can be paid.
SWITCHYARD_LOG_LEVEL=warning SWITCHYARD_BANK_A_URL=http://127.0.0.1:9 \
    "$bin/switchyard" serve --no-executor --port 0 >"$work/serve.out" 2>"$work/serve.log" &
pids+=($!)
api_port="$(wait_port "$work/serve.out")"
"$bin/bare-hummingbird" 0 >"$work/bare.out" 2>&1 &
pids+=($!)
bare_port="$(wait_port "$work/bare.out")"

body=Config/samples/hk-supplier-usd-cnh.json
read -r bare_rps bare_p99 _ < <(measure bare "http://127.0.0.1:$bare_port/v1/quotes" Benchmarks/wrk/post-json.lua BODY_FILE="$body")
read -r quote_rps quote_p99 quote_errors < <(measure quotes "http://127.0.0.1:$api_port/v1/quotes" Benchmarks/wrk/post-json.lua BODY_FILE="$body" API_KEY="$key")

quote_id="$(curl -s -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data @"$body" "http://127.0.0.1:$api_port/v1/quotes" |
    .venv/bin/python -c 'import json,sys; print([r["quote"]["id"] for r in json.load(sys.stdin)["rails"] if r["rail"] == "correspondent-bank-a"][0])')"
count_payments() { .venv/bin/python -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from payment").fetchone()[0])' "$data/payments.sqlite"; }
before="$(count_payments)"
read -r pay_rps pay_p99 pay_errors < <(measure payments "http://127.0.0.1:$api_port/v1/payments" Benchmarks/wrk/create-payments.lua \
    QUOTE_ID="$quote_id" API_KEY="$key" RUN_ID="$$")
after="$(count_payments)"

ratio="$(awk -v a="$quote_rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", a / b }')"
mkdir -p "$(dirname "$out")"
{
    echo "# scripts/benchmark-api.sh — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "# load: wrk -t$threads -c$connections -d$duration on loopback, server and wrk sharing the machine; release build"
    printf "%-44s %12s %12s   %s\n" "measure" "value" "target" "met"
    printf "%-44s %12s %12s   %s\n" "bare Hummingbird POST /v1/quotes req/s" "$bare_rps" "-" "-"
    printf "%-44s %12s %12s   %s\n" "bare Hummingbird p99 ms" "$bare_p99" "-" "-"
    printf "%-44s %12s %12s   %s\n" "POST /v1/quotes req/s" "$quote_rps" ">= 10000" "$(awk -v v="$quote_rps" 'BEGIN { print (v >= 10000) ? "yes" : "no" }')"
    printf "%-44s %12s %12s   %s\n" "POST /v1/quotes p99 ms" "$quote_p99" "<= 10" "$(awk -v v="$quote_p99" 'BEGIN { print (v <= 10) ? "yes" : "no" }')"
    printf "%-44s %12s %12s   %s\n" "POST /v1/quotes non-2xx answers" "$quote_errors" "0" "$([[ "$quote_errors" == 0 ]] && echo yes || echo no)"
    printf "%-44s %12s %12s   %s\n" "quotes / bare Hummingbird" "$ratio" ">= 0.3" "$(awk -v v="$ratio" 'BEGIN { print (v >= 0.3) ? "yes" : "no" }')"
    printf "%-44s %12s %12s   %s\n" "POST /v1/payments accepted/s (SQLite, FULL)" "$pay_rps" ">= 2000" "$(awk -v v="$pay_rps" 'BEGIN { print (v >= 2000) ? "yes" : "no" }')"
    printf "%-44s %12s %12s   %s\n" "POST /v1/payments p99 ms" "$pay_p99" "-" "-"
    printf "%-44s %12s %12s   %s\n" "POST /v1/payments non-2xx answers" "$pay_errors" "0" "$([[ "$pay_errors" == 0 ]] && echo yes || echo no)"
    printf "%-44s %12s %12s   %s\n" "payments stored during the run" "$((after - before))" "-" "-"
} | tee "$out"
