#!/usr/bin/env python3
"""The SWIFT IBAN Registry as schwifty ships it, for the Swift IBAN parser.

Usage:
  iban_registry.py swift              → the Swift table of Sources/RailKit/Identifiers/IBAN+Registry.swift
  iban_registry.py cases SEED COUNT   → JSON list of {"text", "form", "valid"} on stdout

The registry is schwifty's `iban_registry/generated.json` (generated from SWIFT's IBAN Registry
release) with its corrections (`overwrite.json`) applied to registry countries only: the
national IBAN-like formats schwifty adds for countries outside the registry are not IBANs.

Cases: valid IBANs of every registry country (schwifty's random IBANs), and mutations: a BBAN
character of the wrong class (a letter for a digit, a digit for a letter) with the check digits
recomputed so only the structure is wrong, one character more or less, wrong check digits, check
digits 00, 01 or 99 made to pass mod 97, print form with spaces, and countries outside the
registry (national formats, territories that use another country's IBANs). schwifty decides
validity; a country outside the registry is invalid whatever schwifty says.
"""
import json
import random
import string
import sys
from pathlib import Path

import schwifty
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

DATA = Path(schwifty.__file__).parent / "iban_registry"


def registry():
    generated = json.loads((DATA / "generated.json").read_text())
    overwrite = json.loads((DATA / "overwrite.json").read_text())
    merged = {}
    for country, entry in generated.items():
        entry = dict(entry)
        entry.update(overwrite.get(country, {}))
        merged[country] = entry
    return merged, sorted(country for country in overwrite if country not in generated)


def swift_table():
    merged, _ = registry()
    lines = []
    row = []
    for country in sorted(merged):
        row.append(f'"{country}": "{merged[country]["bban_spec"]}"')
        if len(row) == 5:
            lines.append("        " + ", ".join(row) + ",")
            row = []
    if row:
        lines.append("        " + ", ".join(row) + ",")
    print("\n".join(lines))


def check_digits(country, bban):
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def verdict(text, countries):
    compact = text.replace(" ", "")
    if compact[:2] not in countries:
        return False
    # ISO 7064 mod 97-10 check digits are 02 to 98; 00, 01 and 99 pass mod 97 exactly when 97, 98
    # and 02 do, and are never issued.
    if not compact[2:4].isdigit() or not 2 <= int(compact[2:4]) <= 98:
        return False
    try:
        IBAN(text)
        return True
    except (SchwiftyException, ValueError):
        return False


def cases(seed, count):
    rng = random.Random(seed)
    merged, national = registry()
    countries = sorted(merged)
    out = []
    while len(out) < count:
        country = rng.choice(countries)
        valid = str(IBAN.random(country_code=country, random=rng, use_registry=False))
        bban = valid[4:]
        form = rng.choice(["valid", "print", "class", "class", "longer", "shorter", "check", "edge-check", "national", "territory"])
        if form == "valid":
            text = valid
        elif form == "print":
            text = " ".join(valid[i:i + 4] for i in range(0, len(valid), 4))
        elif form == "class":
            position = rng.randrange(len(bban))
            replacement = rng.choice(string.ascii_uppercase) if bban[position].isdigit() else rng.choice(string.digits)
            bban = bban[:position] + replacement + bban[position + 1:]
            text = country + check_digits(country, bban) + bban
        elif form == "longer":
            bban += rng.choice(string.digits)
            text = country + check_digits(country, bban) + bban
        elif form == "shorter":
            bban = bban[:-1]
            text = country + check_digits(country, bban) + bban
        elif form == "check":
            text = valid[:2] + f"{(int(valid[2:4]) + rng.randrange(1, 97)) % 97 + 2:02d}"[-2:] + valid[4:]
        elif form == "edge-check":
            # 00, 01 and 99 are never issued, even where mod 97 passes (97 + 1 = 98 is the largest).
            text = valid[:2] + rng.choice(["00", "01", "99"]) + valid[4:]
        elif form == "national":
            other = rng.choice(national)
            text = other + valid[2:]
        else:
            other = rng.choice(["AX", "GF", "GP", "RE", "JE", "GG", "IM", "US", "CN", "HK"])
            bban = valid[4:]
            text = other + check_digits(other, bban) + bban
        out.append({"text": text, "form": form, "valid": verdict(text, merged)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "swift":
        swift_table()
    else:
        cases(int(sys.argv[2]), int(sys.argv[3]))
