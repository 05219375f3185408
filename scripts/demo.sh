#!/usr/bin/env bash
# The first command: set up, build, check the embedded configuration and quote sample payments.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
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
