#!/usr/bin/env bash
# Writes Sources/switchyard/startup-order.txt: the functions a `switchyard quote` of the sample
# runs (as callgrind lists them), kept to those the linker can move (each in a section of its
# own). A release link of `switchyard` places them together at the start of its code (lld's
# --symbol-ordering-file, Package.swift), so the quote process faults in fewer pages of code:
# README "Benchmarks". Run it again after changing the quote's path; a list gone stale only moves
# fewer functions (names no longer found are skipped). Needs valgrind (installed by setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --order
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source scripts/release-flags.sh  # release=(...): how a binary to ship is built
# The link map says which input sections hold a single function; the executable, which ran.
swift build "${release[@]}" --product switchyard -Xlinker -Map="$work/switchyard.map"
bin="$(swift build "${release[@]}" --show-bin-path)"
# Valgrind cannot read this toolchain's debug information: it runs a copy without it.
strip --strip-debug -o "$work/switchyard" "$bin/switchyard"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$work/switchyard" quote --json \
    --request Config/samples/hk-supplier-usd-cnh.json --now 2026-11-20T15:00:00Z --overlay Sandbox/sample-config >/dev/null 2>"$work/valgrind.log" \
    || { cat "$work/valgrind.log" >&2; exit 1; }
python3 - "$work/switchyard.map" "$work/callgrind.out" Sources/switchyard/startup-order.txt <<'PYTHON'
import re, sys
map_file, profile, out = sys.argv[1:]
movable = set()
with open(map_file, errors="replace") as lines:
    for line in lines:
        match = re.search(r":\(\.text\.(.+)\)\s*$", line)
        if match:
            movable.add(match.group(1))
# callgrind names objects and functions once with an id, "(id) name", then by the id alone.
objects, functions, current, ran = {}, {}, "", []
with open(profile, errors="replace") as lines:
    for line in lines:
        match = re.match(r"^(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not match:
            continue
        kind, key, name = match.groups()
        table = objects if kind.endswith("ob") else functions
        if name:
            table[key] = name
        if kind == "ob":
            current = objects.get(key, "")
        elif kind == "fn" and current.endswith("/switchyard"):
            ran.append(functions[key])
seen, order = set(), []
for name in ran:
    if name in movable and name not in seen:
        seen.add(name)
        order.append(name)
with open(out, "w") as file:
    file.write("\n".join(order) + "\n")
print(f"startup-order: {len(order)} of {len(set(ran))} functions run can be moved; written to {out}")
PYTHON
# The build does not know the list as an input of the link: the next release build links again.
rm -f "$bin/switchyard"
