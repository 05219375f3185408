#!/usr/bin/env bash
# The scaffold's output builds and passes its own test: `switchyard rail new` writes a rail package
# depending on this checkout, which is then built (rail, host executable, tests) and tested, and its
# host executable is started and answers the remote rail protocol's hello. Run by scripts/test.sh
# after `swift test` (its build uses both cores; alone it takes about two minutes here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'kill "${host:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

swift build --product switchyard >/dev/null
.build/debug/switchyard rail new scaffold-check --into "$work" --switchyard "$root"
package="$work/scaffold-check-rail"
# The same dependency versions as this checkout, when it has resolved them.
[ -f Package.resolved ] && cp Package.resolved "$package/"
# A scratch folder that survives between runs here (incremental), apart from the main build.
scratch="$root/.build/scaffold-check"
(cd "$package" && swift build --build-tests --scratch-path "$scratch" && swift test --skip-build --scratch-path "$scratch")

# The host executable serves the rail: its hello names the rail and the protocol version.
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
SCAFFOLD_CHECK_RAIL_TOKEN="$token" "$scratch/debug/scaffold-check-rail" "$package/Config/scaffold-check.json" 0 >"$work/host.out" 2>"$work/host.err" &
host=$!  # the host itself (no subshell), so the trap stops it
for _ in $(seq 1 50); do grep -q ready "$work/host.out" 2>/dev/null && break; sleep 0.2; done
url=$(sed -n 's/.*"url": "\([^"]*\)".*/\1/p' "$work/host.out")
[ -n "$url" ] || { echo "scaffold host did not start: $(cat "$work/host.err")"; exit 1; }
hello=$(curl -sf -H "Authorization: Bearer $token" "$url/v1/rail") || { echo "the scaffold host did not answer its hello at $url"; exit 1; }
echo "$hello" | grep -q '"protocolVersion":"1"' || { echo "unexpected hello: $hello"; exit 1; }
echo "$hello" | grep -q '"id":"scaffold-check"' || { echo "unexpected hello: $hello"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/rail")" = 401 ] || { echo "the host answered without a token"; exit 1; }
echo "scaffold check: the generated rail builds, passes its conformance test, and its host answers"
