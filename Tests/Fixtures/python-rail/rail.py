#!/usr/bin/env python3
"""A minimal rail in Python speaking Switchyard's out-of-process rail protocol, version 1.

It proves the protocol is language-neutral: the Swift conformance kit runs against it over the
wire. Standard library only. The rail is a book transfer between accounts held at one bank: USD
to USD for creditors in HK, a flat fee of USD 5.00 billed to the debtor, credited a minute after
it is sent. Execution goes in steps: the first step records the checkpoint and stops (nothing
sent); the step that resumes from it books the transfer, once per payment id.

Usage: rail.py PORT TOKEN  → prints {"ready": true, "url": ...} once listening (PORT 0 picks one).
Amounts are decimal strings handled with decimal.Decimal, never floats.
"""
import json
import sys
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RAIL_ID = "python-book-transfer"
FEE = Decimal("5.00")
CENT = Decimal("0.01")
BOOKED = {}  # payment id -> booked at (the rail's own ledger: a resend books nothing new)

DESCRIPTOR = {
    "id": RAIL_ID,
    "displayName": "Book transfer at one bank (a rail written in Python)",
    "capabilities": {
        "kind": "book-transfer",
        "corridors": [{"source": "USD", "destination": "USD", "creditorCountries": ["HK"],
                       "minimum": {"amount": "1.00", "currency": "USD"}, "maximum": {"amount": "1000000.00", "currency": "USD"}}],
        "assets": [],
        "operatingHours": {"kind": "continuous"},
        "supportsFixedReceive": True,
        "quoteValiditySeconds": 60,
        "quoteCallsCounterpart": True,
    },
}


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_time(instant):
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def usd(value):
    return {"amount": str(value.quantize(CENT, rounding=ROUND_HALF_EVEN)), "currency": "USD"}


def failure(kind, detail):
    """The body of a non-2xx answer: a typed RailError."""
    return {"error": {"kind": kind, "detail": detail}}


def decline(code, message):
    return {"declined": {"code": code, "message": message}}


def quote(request):
    intent = request["intent"]
    if intent["sourceCurrency"] != "USD" or intent["destinationCurrency"] != "USD" or intent["creditor"]["country"] != "HK":
        return decline("CORRIDOR_NOT_SUPPORTED", "This rail carries USD to USD for creditors in HK only.")
    try:
        amount = Decimal(intent["amount"]["amount"])
    except (InvalidOperation, KeyError):
        raise ValueError("intent.amount.amount is not a decimal")
    if amount < Decimal("1.00"):
        return decline("AMOUNT_BELOW_MINIMUM", f"{amount} USD is below the rail's minimum of 1.00 USD.")
    if amount > Decimal("1000000.00"):
        return decline("AMOUNT_ABOVE_MAXIMUM", f"{amount} USD is above the rail's maximum of 1000000.00 USD.")
    now = parse_time(request["now"])
    return {"quoted": {
        "id": request["quoteID"], "railID": RAIL_ID, "firmness": "indicative",
        "createdAt": format_time(now), "expiresAt": format_time(now + timedelta(seconds=60)),
        # Same currency: the principal is the amount either way; the fee is billed on top.
        "principal": usd(amount), "debtorPays": usd(amount + FEE), "creditorReceives": usd(amount),
        "costs": [{"kind": "sender_bank_fee", "description": "book transfer fee", "amount": usd(FEE), "bearer": "debtor", "collection": "billed"}],
        "totalCost": usd(FEE),
        "eta": {"earliest": format_time(now + timedelta(seconds=60)), "p50": format_time(now + timedelta(seconds=60)),
                "p95": format_time(now + timedelta(seconds=60))},
        "assumptions": [{"name": "fee", "value": "5.00 USD", "source": "a demonstration rail"}],
    }}


def submission(payment_id, credited):
    payload = json.dumps({"credited": credited, "paymentID": payment_id}, sort_keys=True, separators=(",", ":"))
    return {"reference": {"kind": "book_id", "value": payment_id},
            "checkpoint": {"railType": "python-book-transfer", "schemaVersion": 1, "payload": payload}}


def status_of(submitted, now):
    checkpoint = json.loads(submitted["checkpoint"]["payload"])
    booked = checkpoint["paymentID"] in BOOKED
    # A book transfer at one bank is credited as it is booked.
    status = {"reference": submitted["reference"], "state": "settled" if booked else "prepared", "railCode": "booked" if booked else "not booked",
              "observedAt": format_time(now), "deductedCharges": [], "counterpartReasonCodes": [], "counterpartReferences": [],
              "breakdown": [], "notes": [], "legs": []}
    if booked:
        status["credited"] = checkpoint["credited"]
    return status


def execute(request):
    payment_id = request["paymentID"]
    submitted = submission(payment_id, request["quote"]["creditorReceives"])
    if request.get("resumeFrom") != submitted:
        # First step: the checkpoint, and nothing sent; the router commits it and asks again.
        return {"checkpoint": submitted}
    now = parse_time(request["now"])
    BOOKED.setdefault(payment_id, now)  # once per payment id, however often the step is repeated
    return {"events": [{"submitted": submitted["reference"]}], "receipt": {"submission": submitted, "status": status_of(submitted, now)}}


class Handler(BaseHTTPRequestHandler):
    token = ""

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body, sort_keys=True).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self.answer(401, failure("unavailable", "Authorization: a valid bearer token is required"))
            return False
        return True

    def do_GET(self):
        if not self.authorized():
            return
        if self.path == "/v1/rail":
            self.answer(200, {"protocolVersion": "1", "descriptor": DESCRIPTOR})
        else:
            self.answer(404, failure("unavailable", f"no route {self.path}"))

    def do_POST(self):
        if not self.authorized():
            return
        length = int(self.headers.get("Content-Length", "0"))
        if length > 1 << 20:
            self.answer(413, failure("invalid_response", "request too large"))
            return
        try:
            request = json.loads(self.rfile.read(length))
            if self.path == "/v1/quote":
                self.answer(200, quote(request))
            elif self.path == "/v1/execute":
                self.answer(200, execute(request))
            elif self.path == "/v1/status":
                self.answer(200, status_of(request["submission"], parse_time(request["now"])))
            else:
                self.answer(404, failure("unavailable", f"no route {self.path}"))
        except (ValueError, KeyError, TypeError) as error:
            self.answer(422, failure("invalid_response", f"bad request: {error}"))


def main():
    port, Handler.token = int(sys.argv[1]), sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(json.dumps({"ready": True, "url": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
