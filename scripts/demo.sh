#!/usr/bin/env bash
# The first command: set up, build, check the embedded configuration, quote sample payments,
# quote a deposit-token transfer live on the local dev chain, and pay a CNH invoice end to end
# over the AxCNH rail against the sandbox (a chain-1030 dev chain, the FX dealer, the off-ramp partner).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --python
swift build --product switchyard
swift build --product switchyard-sandbox
bin="$(swift build --show-bin-path)/switchyard"
sandbox_bin="$(swift build --show-bin-path)/switchyard-sandbox"  # the simulated counterparts, apart from the shipped binary

"$bin" config check
echo
echo "== 250,000 USD to a Hong Kong supplier, paid in CNH (Config/samples/hk-supplier-usd-cnh.json)"
"$bin" quote --request Config/samples/hk-supplier-usd-cnh.json
echo
echo "== The same payment to a mainland-China supplier"
"$bin" quote --request Config/samples/cn-supplier-usd-cnh.json
echo
echo "== The same question asked with flags (no wallets or travel-rule data given)"
"$bin" quote --amount 250000 --from USD --to CNH --creditor-country HK --objective cheapest
echo

# The sandbox: the dev chain with the sandbox deposit token, and a copy of Config/ with the
# deposit-token-sandbox rail enabled. Gas, allowlist, balance and decimals are read from the chain.
export SWITCHYARD_DEVCHAIN_PORT="${SWITCHYARD_DEVCHAIN_PORT:-18545}"
export SWITCHYARD_CNH_DEVCHAIN_PORT="${SWITCHYARD_CNH_DEVCHAIN_PORT:-18546}"
sandbox_config="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    ./scripts/devchain.sh stop >/dev/null
    SWITCHYARD_DEVCHAIN_PORT="$SWITCHYARD_CNH_DEVCHAIN_PORT" ./scripts/devchain.sh stop >/dev/null
    rm -rf "$sandbox_config"
}
trap cleanup EXIT
./scripts/devchain.sh start >/dev/null
cp -r Config/. "$sandbox_config/"
sed -i 's|"settings": "rails/deposit-token-sandbox.json", "enabled": false|"settings": "rails/deposit-token-sandbox.json", "enabled": true|' \
    "$sandbox_config/switchyard.json"
echo "== 2,500 USD on the sandbox deposit token, quoted live from the dev chain (Config/samples/sandbox-deposit-token.json)"
SWITCHYARD_DEVCHAIN_URL="http://127.0.0.1:$SWITCHYARD_DEVCHAIN_PORT" \
SWITCHYARD_SANDBOX_SIGNER_KEY=0x0000000000000000000000000000000000000000000000000000000000000002 \
    "$bin" quote --config "$sandbox_config" --request Config/samples/sandbox-deposit-token.json
echo

# The CNH sandbox. The dev chain serves chain id 1030 with the 6-decimal sandbox CNH token at the
# rail's configured address in the copy, a block a second; dev account 4 is the liquidity wallet
# (10,000,000 tokens), account 5 the partner's deposit wallet. The FX dealer and the off-ramp
# partner run from this binary on free ports and print their URLs.
SWITCHYARD_DEVCHAIN_PORT="$SWITCHYARD_CNH_DEVCHAIN_PORT" SWITCHYARD_DEVCHAIN_SANDBOX=cnh ./scripts/devchain.sh start >/dev/null
cnh_rpc="http://127.0.0.1:$SWITCHYARD_CNH_DEVCHAIN_PORT"
deposit_wallet="$(.venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["accounts"][4]["address"])' <".sandbox/devchain-$SWITCHYARD_CNH_DEVCHAIN_PORT.out")"
ready_url() {  # waits for a counterpart's {"ready": true, "url": ...} line
    for _ in $(seq 1 100); do
        if [[ -s "$1" ]]; then .venv/bin/python -c 'import json,sys; print(json.loads(sys.stdin.readline())["url"])' <"$1"; return; fi
        sleep 0.1
    done
    echo "a sandbox counterpart did not start; see ${1%.out}.log" >&2
    exit 1
}
"$sandbox_bin" fx --port 0 >.sandbox/fx.out 2>.sandbox/fx.log &
pids+=($!)
"$sandbox_bin" offramp --port 0 --rpc-url "$cnh_rpc" --token 0xF2E246BB76DF876Cef8b38ae84130F4F55De395b \
    --deposit-wallet "$deposit_wallet" --speed 3600 >.sandbox/offramp.out 2>.sandbox/offramp.log &
pids+=($!)
fx_url="$(ready_url .sandbox/fx.out)"
offramp_url="$(ready_url .sandbox/offramp.out)"
sed -i -e 's|0x70bfd7f7eadf9b9827541272589a6b2bb760ae2e|0xF2E246BB76DF876Cef8b38ae84130F4F55De395b|' \
       -e 's|"policy": "pos-finality"|"policy": "two-confirmations"|' "$sandbox_config/rails/axcnh-conflux.json"
echo "== A 1,780,000.00 CNH invoice (fixed receive) paid over AxCNH: FX, token transfer, off-ramp (Config/samples/hk-invoice-fixed-receive-cnh.json)"
SWITCHYARD_CNH_RPC_URL="$cnh_rpc" \
SWITCHYARD_CNH_LIQUIDITY_KEY=0x0000000000000000000000000000000000000000000000000000000000000004 \
SWITCHYARD_FX_RFQ_URL="$fx_url" SWITCHYARD_OFFRAMP_URL="$offramp_url" \
    "$bin" pay --config "$sandbox_config" --request Config/samples/hk-invoice-fixed-receive-cnh.json --rail axcnh-conflux --timeout 60
