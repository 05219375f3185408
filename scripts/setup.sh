#!/usr/bin/env bash
# Installs what Switchyard needs on a fresh machine: system packages (apt) and, with --python,
# the Python cross-check tools in a git-ignored venv. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_python=false
want_bench=false
want_profile=false
want_order=false
for argument in "$@"; do
    case "$argument" in
    --python) want_python=true ;;
    --bench) want_bench=true ;;  # wrk, for scripts/benchmark-api.sh
    --profile) want_profile=true ;;  # perf, for scripts/benchmark-routing.sh with PROFILE=1
    --order) want_order=true ;;  # valgrind, for scripts/startup-order.sh
    esac
done

# tzdata: IANA time zones for cut-offs and DST. libcurl4-openssl-dev: FoundationNetworking
# (URLSession in the sandbox and the tests; the shipped binary's clients use AsyncHTTPClient). libsecp256k1-dev: transaction signing.
# libxml2-utils: xmllint, which validates ISO 20022 messages against the official XSDs.
# libsqlite3-dev: the embedded payment store (GRDB). postgresql: the server scripts/postgres.sh
# starts for the PostgreSQL store's tests (never as a system service). curl: scripts/check-scaffold.sh
# asks the generated rail's host for its hello.
packages=(tzdata libcurl4-openssl-dev libsecp256k1-dev libxml2-utils libsqlite3-dev postgresql curl)
$want_bench && packages+=(wrk)
$want_profile && packages+=(linux-perf)
$want_order && packages+=(valgrind)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected Swift 6 at /opt/swift)" >&2; exit 1; }

if $want_python; then
    if [[ ! -x .venv/bin/python ]]; then
        echo "setup: creating .venv"
        python3 -m venv .venv
    fi
    requirements_installed() {
        local installed requirement
        installed=$(.venv/bin/pip freeze 2>/dev/null)
        while read -r requirement; do
            # pip freeze names a package without its extras: eth-tester[py-evm]==X is eth-tester==X.
            grep -qixF "${requirement/\[*\]/}" <<<"$installed" || return 1
        done < <(grep -vE '^[[:space:]]*(#|$)' scripts/requirements.txt)
    }
    if ! requirements_installed; then
        .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt
    fi
fi
