#!/usr/bin/env python3
"""Signs EIP-1559 transactions with eth-account, the reference the Swift signer is checked against.

Reads a JSON array of {privateKey, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to,
value, data} (integers as decimal strings) on stdin; writes a JSON array of {raw, hash, from}."""
import json
import sys

from eth_account import Account

out = []
for case in json.load(sys.stdin):
    tx = {
        "type": 2,
        "chainId": int(case["chainId"]),
        "nonce": int(case["nonce"]),
        "maxPriorityFeePerGas": int(case["maxPriorityFeePerGas"]),
        "maxFeePerGas": int(case["maxFeePerGas"]),
        "gas": int(case["gas"]),
        "value": int(case["value"]),
        "data": case["data"],
        "accessList": [],
    }
    if case.get("to"):
        tx["to"] = case["to"]
    signed = Account.sign_transaction(tx, case["privateKey"])
    out.append({"raw": "0x" + signed.raw_transaction.hex(), "hash": "0x" + signed.hash.hex(),
                "from": Account.from_key(case["privateKey"]).address})
json.dump(out, sys.stdout)
