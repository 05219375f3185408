#!/usr/bin/env python3
"""An independent reader of the pacs.008 messages a rail sent, for the tests beside the bank simulator.

Usage: check_pacs008.py XSD_DIR < checks.json

checks.json is a list of {"xml": "<the message as the bank received it>", "expect": {...}} with
"expect" holding what the payment asked for: uetr, principal {amount, currency}, senderFee
{amount, currency} or null, chargeBearer (SHA | OUR | BEN), debtorName, creditorName,
creditorAccount, creditorAgent, instructingAgent, instructedAgent.

Nothing here shares code with the Swift rail: the XSD is validated by xmlschema, the fields are read
with xml.etree, and the amounts are worked out with Python's Decimal from the CBPR+ rules:
- ChrgBr is DEBT for OUR, SHAR for SHA, CRED for BEN;
- InstdAmt, when present, is the principal; it must be present when the settlement currency differs
  from the principal's, or when charges are deducted;
- under CRED the sender's fee is reported in ChrgsInf, and IntrBkSttlmAmt is InstdAmt less the
  charges, converted at XchgRate (half-even to the currency's minor unit) when the currencies differ;
- otherwise IntrBkSttlmAmt is the principal, converted at XchgRate when the currencies differ.
Prints every problem and exits 1 when there is any.
"""
import json
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal, ROUND_HALF_EVEN

import xmlschema

NS = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"
BEARERS = {"OUR": "DEBT", "SHA": "SHAR", "BEN": "CRED"}


def q(path):
    return "/".join(f"{{{NS}}}{part}" for part in path.split("/"))


def text(node, path):
    found = node.find(q(path))
    return None if found is None else (found.text or "").strip()


def amount(node, path):
    found = node.find(q(path))
    if found is None:
        return None
    return Decimal(found.text.strip()), found.get("Ccy")


def check(schema, message, expect):
    problems = []
    root = ET.fromstring(message)
    # Bare, or wrapped with its business application header: the Document element either way.
    document = root if root.tag == f"{{{NS}}}Document" else root.find(f".//{{{NS}}}Document")
    if document is None:
        return [f"no pacs.008.001.08 Document in the message (root {root.tag})"]
    errors = list(schema.iter_errors(ET.tostring(document, encoding="unicode")))
    problems += [f"XSD: {error.reason} at {error.path}" for error in errors[:5]]
    # The XSD takes any three letters; ISO 20022 means ISO 4217, where offshore yuan is CNY (CNH is a market code).
    for element in document.iter():
        if element.get("Ccy") == "CNH":
            problems.append(f"{element.tag.split('}')[-1]}: Ccy CNH is not an ISO 4217 code (offshore yuan is CNY)")
    tx = document.find(q("FIToFICstmrCdtTrf/CdtTrfTxInf"))
    group = document.find(q("FIToFICstmrCdtTrf/GrpHdr"))
    if tx is None or group is None:
        return problems + ["no GrpHdr or CdtTrfTxInf"]

    def same(field, found, wanted):
        if found != wanted:
            problems.append(f"{field}: the message says {found!r}, the payment {wanted!r}")

    same("UETR", (text(tx, "PmtId/UETR") or "").lower(), expect["uetr"].lower())
    same("ChrgBr", text(tx, "ChrgBr"), BEARERS[expect["chargeBearer"]])
    same("Dbtr/Nm", text(tx, "Dbtr/Nm"), expect["debtorName"])
    same("Cdtr/Nm", text(tx, "Cdtr/Nm"), expect["creditorName"])
    account = text(tx, "CdtrAcct/Id/IBAN") or text(tx, "CdtrAcct/Id/Othr/Id")
    same("CdtrAcct", account, expect["creditorAccount"])
    same("CdtrAgt BIC", text(tx, "CdtrAgt/FinInstnId/BICFI"), expect["creditorAgent"])
    same("InstgAgt BIC", text(tx, "InstgAgt/FinInstnId/BICFI") or text(group, "InstgAgt/FinInstnId/BICFI"), expect["instructingAgent"])
    same("InstdAgt BIC", text(tx, "InstdAgt/FinInstnId/BICFI") or text(group, "InstdAgt/FinInstnId/BICFI"), expect["instructedAgent"])

    principal = (Decimal(expect["principal"]["amount"]), expect["principal"]["currency"])
    settled = amount(tx, "IntrBkSttlmAmt")
    instructed = amount(tx, "InstdAmt")
    rate_text = text(tx, "XchgRate")
    charges = [amount(charge, "Amt") for charge in tx.findall(q("ChrgsInf"))]
    if settled is None:
        return problems + ["no IntrBkSttlmAmt"]
    converts = settled[1] != principal[1]
    if instructed is not None:
        same("InstdAmt", instructed, principal)
    elif converts or charges:
        problems.append("InstdAmt is missing although the amount is converted or charged")
    if converts and rate_text is None:
        problems.append("XchgRate is missing although the settlement currency differs")
    if expect["chargeBearer"] == "BEN" and expect.get("senderFee"):
        fee = (Decimal(expect["senderFee"]["amount"]), expect["senderFee"]["currency"])
        same("ChrgsInf", charges, [fee])
        net = principal[0] - fee[0]
    else:
        same("ChrgsInf", charges, [])
        net = principal[0]
    wanted = net * Decimal(rate_text) if converts and rate_text else net
    exponent = Decimal("1") if settled[1] == "JPY" else Decimal("0.01")
    same("IntrBkSttlmAmt", settled, (wanted.quantize(exponent, rounding=ROUND_HALF_EVEN), settled[1] if converts else principal[1]))
    return problems


def main():
    schema = xmlschema.XMLSchema(f"{sys.argv[1]}/pacs.008.001.08.xsd")
    failures = 0
    for index, item in enumerate(json.load(sys.stdin)):
        for problem in check(schema, item["xml"], item["expect"]):
            failures += 1
            print(f"message {index} ({item['expect']['uetr']}): {problem}")
    print(f"{failures} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
