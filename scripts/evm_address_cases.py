#!/usr/bin/env python3
"""Generated EVM address strings with eth-utils' verdict, for the Swift parser's cross-check.

Usage: evm_address_cases.py SEED COUNT  → JSON list of {"text", "valid", "normalized"} on stdout.
Valid forms: EIP-55 checksummed, all lower case, all upper case. Mutations: a doubled 0x, a sign or
space inside, a digit from another script, a wrong checksum, one digit more or less, a missing or
upper-case prefix, a non-hex letter. eth-utils decides validity (is_checksum_address for mixed
case, is_hex_address otherwise); the expected address is its normalized form.
"""
import json
import random
import sys

from eth_utils import is_checksum_address, is_hex_address, to_checksum_address, to_normalized_address


def verdict(text):
    if not (text.startswith("0x") and len(text) == 42):
        return False
    body = text[2:]
    if not all(c in "0123456789abcdefABCDEF" for c in body):
        return False
    if body.lower() != body and body.upper() != body:
        return is_checksum_address(text)
    return is_hex_address(text)


def main():
    rng = random.Random(int(sys.argv[1]))
    cases = []
    for _ in range(int(sys.argv[2])):
        raw = "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
        checksummed = to_checksum_address(raw)
        form = rng.choice(["checksummed", "lower", "upper", "double-prefix", "sign", "space", "other-script", "bad-checksum",
                           "longer", "shorter", "no-prefix", "upper-prefix", "non-hex"])
        body = checksummed[2:]
        text = {
            "checksummed": checksummed,
            "lower": raw,
            "upper": "0x" + raw[2:].upper(),
            "double-prefix": "0x0x" + raw[6:],
            "sign": "0x" + body[:10] + rng.choice("+-") + body[11:],
            "space": "0x" + body[:20] + " " + body[21:],
            "other-script": "0x" + body[:5] + "\u0663" + body[6:],  # ARABIC-INDIC DIGIT THREE
            "bad-checksum": "0x" + "".join(c.swapcase() if c.isalpha() and i == next((j for j, d in enumerate(body) if d.isalpha()), -1) else c
                                           for i, c in enumerate(body)),
            "longer": checksummed + "0",
            "shorter": checksummed[:-1],
            "no-prefix": "00" + raw[2:],
            "upper-prefix": "0X" + raw[2:],
            "non-hex": "0x" + raw[2:30] + "g" + raw[31:],
        }[form]
        valid = verdict(text)
        cases.append({"text": text, "form": form, "valid": valid, "normalized": to_normalized_address(text) if valid else None})
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
