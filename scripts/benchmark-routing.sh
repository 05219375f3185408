#!/usr/bin/env bash
# Measures routing decisions (release build) and writes the figures to a file (default
# Benchmarks/results/routing.txt), each beside its target: latency p50/p99 at 3, 30 and 300 rail
# instances, decisions/s on one and two streams, heap allocations per decision, the cost per
# added rail, each shipped rail's quote alone, and `switchyard quote --json` as a whole process
# (wall time and peak RSS). With PROFILE=1 it also records where a 300-rail decision and the quote
# process spend their time (perf) to Benchmarks/results/routing-profile.txt.
# Usage: scripts/benchmark-routing.sh [output-file]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Benchmarks/results/routing.txt}"
if [[ "${PROFILE:-0}" == "1" ]]; then ./scripts/setup.sh --profile; else ./scripts/setup.sh; fi
source scripts/release-flags.sh  # release=(...): how a binary to ship is built
swift build "${release[@]}" --product switchyard
swift build "${release[@]}" --product routing-benchmark
bin="$(swift build "${release[@]}" --show-bin-path)"
"$bin/routing-benchmark" "$out"

if [[ "${PROFILE:-0}" == "1" ]]; then
    profile="$(dirname "$out")/routing-profile.txt"
    data="$(mktemp -d)"
    trap 'rm -rf "$data"' EXIT
    top() {  # the functions with the most time, callees included, demangled
        # In a subshell without pipefail: `head` stops reading early, and perf's broken pipe is expected.
        (set +o pipefail
         perf report -i "$1" --children --sort symbol -g none 2>/dev/null | grep -v '^#' | grep '%' | grep -v '\[k\]' \
             | head -n "$2" | swift demangle --simplified | sed 's/ *$//' | cut -c1-160)
    }
    ROUTING_BENCHMARK_INSTANCES=300 perf record -F 2000 -g -o "$data/decision.data" "$bin/routing-benchmark" "$data/ignored.txt" >/dev/null 2>&1
    perf record -F 20000 -g -o "$data/process.data" "$bin/switchyard" quote --json --request Config/samples/hk-supplier-usd-cnh.json \
        --now 2026-11-20T15:00:00Z --overlay Sandbox/sample-config >/dev/null 2>&1
    {
        echo "# routing profile — $(date -u +%Y-%m-%dT%H:%M:%SZ); perf, time with callees (children); scripts/benchmark-routing.sh with PROFILE=1"
        echo "## 300 rails: routing-benchmark with ROUTING_BENCHMARK_INSTANCES=300 (configuration loading included at the start)"
        top "$data/decision.data" 60
        echo
        echo "## switchyard quote --json for the sample, whole process"
        top "$data/process.data" 60
    } > "$profile"
    echo "profile: $profile"
fi
