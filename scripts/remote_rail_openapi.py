#!/usr/bin/env python3
"""Writes the remote rail protocol's OpenAPI 3.1 document, Schemas/remote-rail-protocol.openapi.json
(the wire between the router's `remote` adapter and a rail served by RailHost, in any language).
Edit the protocol's shape here, run `python3 scripts/remote_rail_openapi.py`, commit both; the
wire test (Tests/CIPSRailTests/ProtocolDocumentTests.swift) holds what crosses the wire to it."""
import json
import sys
from pathlib import Path

OUT = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent / "Schemas/remote-rail-protocol.openapi.json")


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props, required=None, desc=None, **extra):
    o = {"type": "object"}
    if desc:
        o["description"] = desc
    o["properties"] = props
    o["required"] = list(props) if required is None else list(required)
    if not o["required"]:
        del o["required"]
    o["additionalProperties"] = False
    o.update(extra)
    return o


def arr(item, desc=None):
    a = {"type": "array"}
    if desc:
        a["description"] = desc
    a["items"] = item
    return a


def string(desc=None, **extra):
    s = {"type": "string"}
    if desc:
        s["description"] = desc
    s.update(extra)
    return s


def with_desc(schema, desc):
    """A $ref with a description beside it (allowed in 3.1 / 2020-12)."""
    return {**schema, "description": desc}


TIMESTAMP_MS = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z$"
TIMESTAMP_S = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
CHAIN = r"^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$"
EVM_ADDRESS = r"^0x[0-9a-fA-F]{40}$"
CAIP10_ADDRESS = r"^[-.%a-zA-Z0-9]{1,128}$"

S = {}

# ---------------------------------------------------------------- scalars
S["Instant"] = string("An instant: ISO 8601 in UTC to the millisecond (RailCoding's date strategy).",
                      format="date-time", pattern=TIMESTAMP_MS, examples=["2026-11-18T02:00:00.000Z"])
S["InstantSeconds"] = string("An instant in UTC to the second, no fraction (PaymentIntent.deadline is written so).",
                             format="date-time", pattern=TIMESTAMP_S, examples=["2026-11-25T09:00:00Z"])
S["Decimal"] = string("An exact decimal as a string (never a JSON number): optional '-', digits, optional fraction; no exponent.",
                      pattern=r"^-?[0-9]+(\.[0-9]+)?$", examples=["250000.00", "-7.04", "35.00"])
S["NonNegativeDecimal"] = string("An exact decimal string, not negative.", pattern=r"^[0-9]+(\.[0-9]+)?$", examples=["0.08"])
S["PositiveDecimal"] = string("An exact decimal string, greater than zero.",
                              pattern=r"^(0*[1-9][0-9]*(\.[0-9]+)?|0+\.[0-9]*[1-9][0-9]*)$", examples=["7.1100", "250000.00"])
S["CurrencyCode"] = string("A fiat currency: ISO 4217 alphabetic code (plus CNH for offshore yuan), upper case.",
                           pattern=r"^[A-Z]{3}$", examples=["USD", "CNH"])
S["CountryCode"] = string("ISO 3166-1 alpha-2 (or XK), upper case.", pattern=r"^[A-Z]{2}$")
S["ChainID"] = string("A chain as a CAIP-2 id; an eip155 reference is a decimal chain id without leading zeros.",
                      pattern=CHAIN, examples=["eip155:8453"],
                      **{"if": {"pattern": "^eip155:"}, "then": {"pattern": r"^eip155:[1-9][0-9]{0,19}$"}})
S["RailID"] = string("A configured rail's id: 1 to 64 lower-case letters, digits or hyphens.",
                     pattern=r"^[-a-z0-9]{1,64}$", examples=["cips-participant"])
S["RailKind"] = string("A rail family. Open set (adapters may add kinds): deposit-token, correspondent-banking, stablecoin, cips, ...",
                       pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
S["ReasonCode"] = string("A machine-readable reason. Open set (adapters may add codes), e.g. CORRIDOR_NOT_SUPPORTED.",
                         pattern=r"^[A-Z0-9]+(_[A-Z0-9]+)*$")
S["CostKind"] = string("What a cost is for. Open set, e.g. network_fee, fx_margin, sender_bank_fee, beneficiary_bank_fee.",
                       pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
S["LegKind"] = string("What one step of a multi-step payment does. Open set, e.g. fx_conversion, token_transfer, off_ramp.",
                      pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
S["RailPaymentState"] = string("A payment's state on its rail; settled, rejected, returned and failed are terminal.",
                               enum=["prepared", "submitted", "in_flight", "settled", "rejected", "returned", "failed"])
S["LocalTime"] = string("A wall-clock time HH:MM (00:00 to 24:00) in the calendar's time zone.",
                        pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")

# ---------------------------------------------------------------- money
S["Token"] = obj({
    "symbol": string("Ticker, e.g. JPMD."),
    "chain": ref("ChainID"),
    "contract": string("The token contract (absent: the chain's native coin)."),
    "decimals": {"type": "integer", "minimum": 0, "maximum": 36},
    "denomination": with_desc(ref("CurrencyCode"), "The fiat currency one token is redeemable for, if any."),
}, ["symbol", "chain", "decimals"], "A token on a chain.",
    **{"if": {"required": ["chain", "contract"], "properties": {"chain": {"pattern": "^eip155:"}}},
       "then": {"properties": {"contract": {"pattern": EVM_ADDRESS}}},
       "else": {"properties": {"contract": {"pattern": CAIP10_ADDRESS}}}})
S["Asset"] = obj({"currency": ref("CurrencyCode"), "token": ref("Token")}, [],
                 "A fiat currency or a token: exactly one of the two keys.", minProperties=1, maxProperties=1)
S["Money"] = obj({
    "amount": with_desc(ref("Decimal"), "Exactly the asset's decimals (USD 2, JPY 0); may be negative."),
    "currency": string("The currency code, or SYMBOL@chain for a token."),
    "token": with_desc(ref("Token"), "Present when the amount is in a token."),
}, ["amount", "currency"], "An exact amount of an asset.",
    **{"if": {"required": ["token"]},
       "then": {"properties": {"currency": {"pattern": r"^[^@]+@[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$"}}},
       "else": {"properties": {"currency": ref("CurrencyCode")}}})
S["ExchangeRate"] = obj({
    "base": ref("CurrencyCode"), "quote": ref("CurrencyCode"),
    "rate": with_desc(ref("PositiveDecimal"), "Units of quote per one base."),
}, None, "1 base = rate quote.")
S["Price"] = obj({"amount": ref("Decimal"), "currency": ref("CurrencyCode")}, None,
                 "The price of one unit of a coin; may carry more decimals than the currency.")

# ---------------------------------------------------------------- parties and the intent
S["PostalAddress"] = obj({
    "streetName": string(), "buildingNumber": string(), "postCode": string(), "townName": string(),
    "countrySubDivision": string(), "country": ref("CountryCode"),
}, ["townName", "country"])
S["Wallet"] = obj({
    "chain": ref("ChainID"),
    "address": string("As the chain writes it: 0x and 40 hex digits on eip155, else CAIP-10 characters."),
}, None, **{"if": {"required": ["chain"], "properties": {"chain": {"pattern": "^eip155:"}}},
            "then": {"properties": {"address": {"pattern": EVM_ADDRESS}}},
            "else": {"properties": {"address": {"pattern": CAIP10_ADDRESS}}}})
S["AccountDetails"] = obj({
    "iban": string("IBAN, electronic form.", pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$"),
    "accountNumber": string("A domestic account number.", minLength=1, maxLength=34),
    "bic": string("The party's bank (ISO 9362).", pattern=r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"),
    "wallets": arr(ref("Wallet")),
}, ["wallets"])
S["Party"] = obj({
    "name": string("Legal name.", minLength=1, maxLength=140),
    "country": ref("CountryCode"),
    "kind": string(enum=["institutional", "retail"]),
    "lei": string("ISO 17442 LEI.", pattern=r"^[A-Z0-9]{18}[0-9]{2}$"),
    "address": ref("PostalAddress"),
    "accounts": ref("AccountDetails"),
}, ["name", "country", "kind", "accounts"], "A payment's debtor or creditor.")
S["PaymentAmount"] = obj({
    "amount": with_desc(ref("PositiveDecimal"), "At most the currency's decimals."),
    "currency": with_desc(ref("CurrencyCode"), "The source currency when fixed is send, the destination's when receive."),
    "fixed": string("Which side is fixed.", enum=["send", "receive"]),
}, None, "The fixed amount of a payment (fiat).")
S["RoutingObjective"] = obj({
    "type": string(enum=["cheapest", "fastest", "balanced"]),
    "annualTimeValueRate": with_desc(ref("NonNegativeDecimal"), "Only for balanced: 0 to 1 (0.08 = 8 % a year)."),
}, ["type"], "What the payer optimises for (always written as an object).",
    **{"if": {"required": ["type"], "properties": {"type": {"const": "balanced"}}},
       "then": {"required": ["annualTimeValueRate"]},
       "else": {"properties": {"annualTimeValueRate": False}}})
S["RailSelection"] = obj({
    "allowed": arr(ref("RailID"), "If present, only these rails."),
    "excluded": arr(ref("RailID")),
}, ["excluded"])
S["TravelRuleParty"] = obj({
    "name": string(), "accountNumber": string(), "geographicAddress": ref("PostalAddress"),
    "nationalIdentifier": string(), "customerIdentification": string(),
    "lei": string(pattern=r"^[A-Z0-9]{18}[0-9]{2}$"), "dateAndPlaceOfBirth": string(),
}, [], "One side of the travel-rule record (IVMS 101, flattened).")
S["TravelRuleData"] = obj({"originator": ref("TravelRuleParty"), "beneficiary": ref("TravelRuleParty")})
S["PaymentIntent"] = obj({
    "reference": string("The caller's own reference."),
    "debtor": ref("Party"),
    "creditor": ref("Party"),
    "sourceCurrency": ref("CurrencyCode"),
    "destinationCurrency": ref("CurrencyCode"),
    "amount": ref("PaymentAmount"),
    "purpose": string("ISO 20022 purpose code, e.g. GDDS.", pattern=r"^[A-Z0-9]{1,4}$"),
    "remittanceInformation": string(maxLength=140),
    "deadline": with_desc(ref("InstantSeconds"), "Must arrive by then; written to the second, unlike other instants."),
    "objective": ref("RoutingObjective"),
    "rails": ref("RailSelection"),
    "chargeBearer": string(enum=["OUR", "SHA", "BEN"]),
    "travelRule": ref("TravelRuleData"),
}, ["debtor", "creditor", "sourceCurrency", "destinationCurrency", "amount", "objective", "rails"],
    "A payment to make.")

# ---------------------------------------------------------------- quoting
S["MarketSnapshot"] = obj({
    "asOf": ref("Instant"),
    "source": string(),
    "midRates": arr(ref("ExchangeRate")),
    "coinPrices": {"type": "object", "description": "Chain coin prices, keyed by coin symbol (ETH, CFX).",
                   "additionalProperties": ref("Price")},
}, None, "Reference mid rates and coin prices at one moment.")
S["QuoteRequest"] = obj({
    "quoteID": string("The id the quote must carry."),
    "intent": ref("PaymentIntent"),
    "now": with_desc(ref("Instant"), "The instant the quote is made at; the quote's createdAt."),
    "market": ref("MarketSnapshot"),
}, None, "POST /v1/quote body.")
S["RailDecline"] = obj({"code": ref("ReasonCode"), "message": string("A sentence a person understands.")},
                       None, "A rail's reasoned no (data, not an error).")
S["CostItem"] = obj({
    "kind": ref("CostKind"),
    "description": string("Who takes the fee, for people."),
    "amount": with_desc(ref("Money"), "In the quote's source currency."),
    "charged": with_desc(ref("Money"), "In the asset actually charged, when different."),
    "bearer": string(enum=["debtor", "creditor"]),
    "collection": string("billed: on top; deducted: from the amount in flight; in_rate: inside the FX rate.",
                         enum=["billed", "deducted", "in_rate"]),
}, ["kind", "description", "amount", "bearer", "collection"])
S["FXDetail"] = obj({
    "applied": ref("ExchangeRate"), "mid": ref("ExchangeRate"),
    "marginBasisPoints": with_desc(ref("Decimal"), "(mid - applied) / mid in basis points."),
    "midSource": string(),
})
S["SettlementEstimate"] = obj({"earliest": ref("Instant"), "p50": ref("Instant"), "p95": ref("Instant")})
S["Assumption"] = obj({"name": string(), "value": string(), "source": string()}, None, "A fact the quote relied on.")
S["Quote"] = obj({
    "id": string(),
    "railID": ref("RailID"),
    "firmness": string(enum=["firm", "indicative"]),
    "createdAt": ref("Instant"),
    "expiresAt": ref("Instant"),
    "principal": with_desc(ref("Money"), "Source currency."),
    "debtorPays": with_desc(ref("Money"), "Principal plus billed costs (source currency)."),
    "creditorReceives": with_desc(ref("Money"), "Destination currency."),
    "fx": ref("FXDetail"),
    "costs": arr(ref("CostItem")),
    "totalCost": with_desc(ref("Money"), "The exact sum of costs (source currency)."),
    "eta": ref("SettlementEstimate"),
    "assumptions": arr(ref("Assumption")),
}, ["id", "railID", "firmness", "createdAt", "expiresAt", "principal", "debtorPays", "creditorReceives",
    "costs", "totalCost", "eta", "assumptions"], "A rail's price and timing for one payment.")
S["QuoteOutcome"] = obj({"quoted": ref("Quote"), "declined": ref("RailDecline")}, [],
                        "POST /v1/quote answer: exactly one of quoted or declined.", minProperties=1, maxProperties=1)

# ---------------------------------------------------------------- the rail
S["Corridor"] = obj({
    "source": ref("CurrencyCode"),
    "destination": ref("CurrencyCode"),
    "creditorCountries": arr(ref("CountryCode"), "Creditor countries served; absent: any."),
    "minimum": with_desc(ref("Money"), "Smallest principal, source currency."),
    "maximum": with_desc(ref("Money"), "Largest principal, source currency."),
}, ["source", "destination"])
S["OperatingHours"] = obj({
    "kind": string(enum=["continuous", "business_days"]),
    "calendarID": string("Only for business_days."),
    "cutOff": with_desc(ref("LocalTime"), "Only for business_days: the daily cut-off."),
}, ["kind"], "24/7, or business days of a calendar with a daily cut-off.",
    **{"if": {"required": ["kind"], "properties": {"kind": {"const": "business_days"}}},
       "then": {"required": ["calendarID", "cutOff"]},
       "else": {"maxProperties": 1}})
S["RailCapabilities"] = obj({
    "kind": ref("RailKind"),
    "corridors": arr(ref("Corridor")),
    "assets": arr(ref("Asset"), "Assets moved besides fiat."),
    "operatingHours": ref("OperatingHours"),
    "supportsFixedReceive": {"type": "boolean"},
    "quoteOnlyReason": string("Why the rail only quotes; absent when it executes."),
    "quoteValiditySeconds": {"type": "integer", "minimum": 0},
    "quoteCallsCounterpart": {"type": "boolean"},
}, ["kind", "corridors", "assets", "operatingHours", "supportsFixedReceive", "quoteValiditySeconds",
    "quoteCallsCounterpart"])
S["RailDescriptor"] = obj({"id": ref("RailID"), "displayName": string(), "capabilities": ref("RailCapabilities")})
S["Hello"] = obj({
    "protocolVersion": string("The protocol version the rail speaks; a router uses only a rail that answers its own.", const="1"),
    "descriptor": ref("RailDescriptor"),
    "acceptsNotifications": {"type": "boolean", "description": "Whether the rail reads pushed notifications (absent: no)."},
}, ["protocolVersion", "descriptor"], "GET /v1/rail answer.")

# ---------------------------------------------------------------- execution
S["RailReference"] = obj({"kind": string("What the value is: uetr, tx_hash, ..."), "value": string()},
                         None, "A payment's reference on its rail.")
S["RailCheckpoint"] = obj({
    "railType": string("The adapter type that wrote it."),
    "schemaVersion": {"type": "integer"},
    "payload": string("The rail's own record as JSON text: opaque to the router, read only by the rail.",
                      contentMediaType="application/json"),
})
S["RailSubmission"] = obj({"reference": ref("RailReference"), "checkpoint": ref("RailCheckpoint")},
                          None, "A checkpoint: what the rail needs to follow and resume the payment.")
S["ExecutionRequest"] = obj({
    "paymentID": string("The router's payment id; the idempotency key towards the counterpart."),
    "intent": ref("PaymentIntent"),
    "quote": ref("Quote"),
    "now": ref("Instant"),
    "resumeFrom": with_desc(ref("RailSubmission"), "The last checkpoint the router committed; absent on the first step."),
}, ["paymentID", "intent", "quote", "now"], "POST /v1/execute body.")
S["DeductedCharge"] = obj({"amount": ref("Money"), "agent": string("Who took it.")})
S["ReceiptLine"] = obj({"name": string(), "amount": ref("Money")}, None, "One named amount of a receipt.")
S["PaymentLeg"] = obj({
    "kind": ref("LegKind"),
    "reference": ref("RailReference"),
    "state": ref("RailPaymentState"),
    "amountIn": ref("Money"),
    "amountOut": ref("Money"),
    "fundsLocation": string("Where the money is, in words an operator can act on."),
    "detail": string(),
}, ["kind", "reference", "state"], "One step of a multi-step payment.")
S["RailPaymentStatus"] = obj({
    "reference": ref("RailReference"),
    "state": ref("RailPaymentState"),
    "railCode": string("The rail's own status code."),
    "reason": with_desc(ref("RailDecline"), "For rejections and returns."),
    "observedAt": ref("Instant"),
    "credited": with_desc(ref("Money"), "What the creditor was credited."),
    "returned": with_desc(ref("Money"), "What comes back to the debtor, for a return."),
    "deductedCharges": arr(ref("DeductedCharge")),
    "counterpartReasonCodes": arr(string(), "The counterpart's own reason codes, as sent."),
    "counterpartReferences": arr(ref("RailReference")),
    "breakdown": arr(ref("ReceiptLine")),
    "fxRate": ref("ExchangeRate"),
    "notes": arr(string()),
    "legs": arr(ref("PaymentLeg")),
    "reportedAt": with_desc(ref("Instant"), "When the counterpart issued this status, where it says."),
}, ["reference", "state", "observedAt", "deductedCharges", "counterpartReasonCodes", "counterpartReferences",
    "breakdown", "notes", "legs"], "A payment's state on its rail (answer of /v1/status and /v1/notification).")
S["ExecutionEvent"] = obj({
    "prepared": with_desc(ref("RailSubmission"), "A checkpoint recorded; nothing sent for it yet."),
    "submitted": with_desc(ref("RailReference"), "Handed to the rail (or possibly, if the send's outcome is unknown)."),
    "statusChanged": ref("RailPaymentStatus"),
}, [], "A state change during execution: exactly one of the keys.", minProperties=1, maxProperties=1)
S["ExecutionReceipt"] = obj({"submission": ref("RailSubmission"), "status": ref("RailPaymentStatus")})
S["StepAnswer"] = obj({
    "checkpoint": with_desc(ref("RailSubmission"), "A new checkpoint, nothing of it sent: record the events, commit it, call again with resumeFrom set to it."),
    "events": arr(ref("ExecutionEvent"), "The events since the last checkpoint, in order (with a checkpoint: before it)."),
    "receipt": with_desc(ref("ExecutionReceipt"), "Finished: the payment is handed over."),
}, [], "POST /v1/execute answer: a checkpoint (with the events before it), or the events and the receipt.",
    **{"if": {"required": ["checkpoint"]}, "then": {"not": {"required": ["receipt"]}}, "else": {"required": ["events", "receipt"]}})
S["StatusRequest"] = obj({"submission": ref("RailSubmission"), "now": ref("Instant")}, None, "POST /v1/status body.")
S["NotificationRequest"] = obj({
    "body": string("The notification's body byte for byte, base64 (signatures cover these bytes).",
                   contentEncoding="base64", pattern=r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"),
    "headers": {"type": "object", "description": "Its headers, names in lower case, without the router's own credentials.",
                "propertyNames": {"pattern": r"^[!#$%&'*+.^_`|~0-9a-z-]+$",
                                  "not": {"enum": ["authorization", "cookie", "proxy-authorization", "x-api-key"]}},
                "additionalProperties": {"type": "string"}},
    "now": ref("Instant"),
}, None, "POST /v1/notification body: a counterpart's pushed notification as the router received it.")

# ---------------------------------------------------------------- failures
S["MoneyError"] = obj({"kind": string(enum=["asset_mismatch", "overflow", "inexact"]), "detail": string()})
def error_case(kinds, keys):
    match = {"enum": kinds} if len(kinds) > 1 else {"const": kinds[0]}
    return {"if": {"required": ["kind"], "properties": {"kind": match}},
            "then": {"required": keys, "propertyNames": {"enum": ["kind"] + keys}}}


S["RailError"] = obj({
    "kind": string(enum=["unavailable", "invalid_response", "misconfigured", "unsupported", "money", "declined"]),
    "detail": string("unavailable: the counterpart could not be reached or failed; invalid_response: an answer or "
                     "request that cannot be understood; misconfigured: the rail's configuration is unusable for it."),
    "operation": string("unsupported: the operation."),
    "rail": with_desc(ref("RailID"), "unsupported: the rail."),
    "money": with_desc(ref("MoneyError"), "money: arithmetic on amounts failed."),
    "decline": with_desc(ref("RailDecline"), "declined: the rail refused at execution; nothing was sent."),
}, ["kind"], "A typed failure; kind says which other keys it has.",
    allOf=[error_case(["unavailable", "invalid_response", "misconfigured"], ["detail"]),
           error_case(["unsupported"], ["operation", "rail"]),
           error_case(["money"], ["money"]),
           error_case(["declined"], ["decline"])])
S["Failure"] = obj({"error": ref("RailError")}, None, "The body of every non-2xx answer.")


# ---------------------------------------------------------------- paths
def body(name):
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


def ok(name, desc):
    return {"description": desc, "content": {"application/json": {"schema": ref(name)}}}


failures = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "422": {"$ref": "#/components/responses/Unprocessable"},
    "500": {"$ref": "#/components/responses/Failed"},
    "503": {"$ref": "#/components/responses/Unavailable"},
}


def op(op_id, summary, answer, answer_desc, request=None):
    o = {"operationId": op_id, "summary": summary}
    if request:
        o["requestBody"] = body(request)
    o["responses"] = {"200": ok(answer, answer_desc), **failures}
    return o


def failure_response(desc):
    return {"description": desc, "content": {"application/json": {"schema": ref("Failure")}}}


doc = {
    "openapi": "3.1.0",
    "info": {
        "title": "Switchyard remote rail protocol",
        "version": "1",
        "description": (
            "Lets a payment rail run in its own process; the router's `remote` adapter uses it like an in-process rail. "
            "JSON over HTTP with RailKit's wire coding: sorted keys, instants as ISO 8601 UTC strings to the millisecond, "
            "amounts and rates as decimal strings, optional fields omitted when absent, other arrays present even when empty. "
            "Every request carries `Authorization: Bearer <token>`.\n\n"
            "Execution goes in steps, so that a checkpoint is committed in the router's store before anything of it "
            "leaves the rail. The rail runs until it records a new checkpoint and stops there, having sent nothing for "
            "it, answering `{\"checkpoint\": ...}`. The router commits it and calls `/v1/execute` again with "
            "`resumeFrom` set to it; the rail continues from there and repeats nothing it recorded. Once the payment is "
            "handed over the rail answers `{\"events\": [...], \"receipt\": ...}`. Repeating a step (an answer lost) "
            "is safe: it resumes from the same checkpoint.\n\n"
            "Any refusal or failure is a non-2xx answer with a `Failure` body (a typed RailError)."
        ),
    },
    "security": [{"bearerAuth": []}],
    "paths": {
        "/v1/rail": {"get": op("hello", "The protocol version and the rail's descriptor", "Hello", "The rail's hello.")},
        "/v1/quote": {"post": op("quote", "Price a payment, or decline it", "QuoteOutcome", "A quote or a reasoned decline.",
                                 "QuoteRequest")},
        "/v1/execute": {"post": op("execute", "Run one execution step", "StepAnswer",
                                   "The next checkpoint to commit, or the finished payment.", "ExecutionRequest")},
        "/v1/status": {"post": op("status", "The state of a payment the rail executed", "RailPaymentStatus",
                                  "The payment's status.", "StatusRequest")},
        "/v1/notification": {"post": op("notification",
                                         "Authenticate and read a counterpart's pushed notification (rails whose hello accepts them)",
                                         "RailPaymentStatus", "The status the notification reports.", "NotificationRequest")},
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "The token configured for the rail, on every request."}},
        "responses": {
            "Unauthorized": failure_response("Missing or wrong bearer token (error kind unavailable)."),
            "Unprocessable": failure_response("Declined at execution, a request that does not decode, or money arithmetic "
                                              "(error kind declined, invalid_response or money)."),
            "Failed": failure_response("The rail is misconfigured or does not support the operation (misconfigured, "
                                       "unsupported), or failed untyped (unavailable)."),
            "Unavailable": failure_response("The rail's counterpart could not be reached (error kind unavailable)."),
        },
        "schemas": S,
    },
}

with open(OUT, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
print("wrote", OUT, len(S), "schemas")
