#!/usr/bin/env bash
# The first command: set up, build, check the embedded configuration, quote sample payments, and
# quote a deposit-token transfer live on the local dev chain (the sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --python
swift build --product switchyard
bin="$(swift build --show-bin-path)/switchyard"

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
sandbox_config="$(mktemp -d)"
trap './scripts/devchain.sh stop >/dev/null; rm -rf "$sandbox_config"' EXIT
./scripts/devchain.sh start >/dev/null
cp -r Config/. "$sandbox_config/"
sed -i 's|"settings": "rails/deposit-token-sandbox.json", "enabled": false|"settings": "rails/deposit-token-sandbox.json", "enabled": true|' \
    "$sandbox_config/switchyard.json"
echo "== 2,500 USD on the sandbox deposit token, quoted live from the dev chain (Config/samples/sandbox-deposit-token.json)"
SWITCHYARD_DEVCHAIN_URL="http://127.0.0.1:$SWITCHYARD_DEVCHAIN_PORT" \
SWITCHYARD_SANDBOX_SIGNER_KEY=0x0000000000000000000000000000000000000000000000000000000000000002 \
    "$bin" quote --config "$sandbox_config" --request Config/samples/sandbox-deposit-token.json
