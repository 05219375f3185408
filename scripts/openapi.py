#!/usr/bin/env python3
"""Writes the HTTP API's OpenAPI 3.1 document, Sources/SwitchyardServer/openapi.json (served at
/openapi.json). Edit the API's shape here, run `python3 scripts/openapi.py`, commit both; the
schemathesis test (Tests/SwitchyardCommandsTests/APIServeTests.swift) holds the server to it."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
string = {"type": "string"}
def obj(props, required=(), closed=True, desc=None):
    o = {"type": "object", "properties": props}
    if required: o["required"] = list(required)
    if closed: o["additionalProperties"] = False
    if desc: o["description"] = desc
    return o
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def arr(item): return {"type": "array", "items": item}
decimal = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": "An exact decimal as a string."}
datetime = {"type": "string", "format": "date-time"}
schemas = {}
schemas["Money"] = obj({
    "amount": decimal, "currency": {"type": "string", "description": "ISO 4217 code, or SYMBOL@chain for a token."},
    "token": {"type": "object", "description": "The token, when the asset is one."}}, ["amount", "currency"],
    desc="An exact amount with its currency; never a float.")
schemas["FieldError"] = obj({"field": string, "rule": string, "message": string}, ["field", "rule", "message"])
schemas["Reason"] = obj({"code": {"type": "string", "description": "A machine-readable reason code (e.g. RAIL_DISABLED, CORRIDOR_NOT_SUPPORTED)."},
                         "message": string, "rail": string}, ["code", "message"])
schemas["Problem"] = obj({
    "type": {"type": "string", "format": "uri"}, "title": string, "status": {"type": "integer"}, "detail": string,
    "errors": arr(ref("FieldError")), "reasons": arr(ref("Reason")), "paymentId": string},
    ["type", "title", "status", "detail"], desc="RFC 9457 problem details.")
address = obj({"streetName": string, "buildingNumber": string, "postCode": string, "townName": string,
               "countrySubDivision": string, "country": {"type": "string", "pattern": "^[A-Z]{2}$"}}, ["townName", "country"], closed=True)
schemas["PostalAddress"] = address
schemas["Party"] = obj({
    "name": {"type": "string", "minLength": 1, "maxLength": 140},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2."},
    "kind": {"type": "string", "enum": ["institutional", "retail"]},
    "lei": {"type": "string", "description": "ISO 17442 legal entity identifier (checksum verified)."},
    "address": ref("PostalAddress"),
    "accounts": obj({"accountNumber": string, "iban": string, "bic": string,
                     "wallets": arr(obj({"chain": {"type": "string", "description": "CAIP-2, e.g. eip155:8453"}, "address": string}, ["chain", "address"], closed=True))},
                    closed=True)}, ["name", "country"], closed=True)
travel_party = obj({"name": string, "accountNumber": string, "geographicAddress": ref("PostalAddress"), "nationalIdentifier": string,
                    "customerIdentification": string, "lei": string, "dateAndPlaceOfBirth": string}, closed=True)
schemas["PaymentIntent"] = obj({
    "reference": {"type": "string", "maxLength": 35},
    "debtor": ref("Party"), "creditor": ref("Party"),
    "sourceCurrency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "destinationCurrency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "amount": obj({"amount": decimal, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "fixed": {"type": "string", "enum": ["send", "receive"]}},
                  ["amount", "currency"], closed=True),
    "purpose": {"type": "string", "pattern": "^[A-Z0-9]{1,4}$"}, "remittanceInformation": {"type": "string", "maxLength": 140},
    "deadline": datetime,
    "objective": {"oneOf": [{"type": "string", "enum": ["cheapest", "fastest"]},
                            obj({"type": {"type": "string", "enum": ["cheapest", "fastest", "balanced"]}, "annualTimeValueRate": decimal}, ["type"], closed=True)]},
    "rails": obj({"allowed": arr(string), "excluded": arr(string)}, closed=True),
    "chargeBearer": {"type": "string", "enum": ["OUR", "SHA", "BEN"]},
    "travelRule": obj({"originator": travel_party, "beneficiary": travel_party}, ["originator", "beneficiary"], closed=True)},
    ["debtor", "creditor", "sourceCurrency", "destinationCurrency", "amount"], closed=True,
    desc="What to pay: the same JSON as `switchyard quote --request` (see Config/samples/).")
schemas["QuoteReport"] = obj({
    "requestedAt": datetime, "reference": string, "sourceCurrency": string, "destinationCurrency": string,
    "amount": obj({"amount": decimal, "currency": string, "fixed": string}, ["amount", "currency", "fixed"]),
    "creditorCountry": string, "objective": string, "annualTimeValueRate": decimal, "deadline": datetime,
    "marketData": string, "chosenRail": string, "explanation": string,
    "rails": arr(obj({
        "rail": string, "displayName": string, "kind": string, "eligible": {"type": "boolean"}, "rank": {"type": "integer", "minimum": 1},
        "score": ref("Money"), "timeValue": ref("Money"),
        "quote": obj({
            "id": string, "firmness": {"type": "string", "enum": ["firm", "indicative"]}, "createdAt": datetime, "expiresAt": datetime,
            "principal": ref("Money"), "debtorPays": ref("Money"), "creditorReceives": ref("Money"),
            "fx": obj({"rate": decimal, "midRate": decimal, "pair": string, "marginBasisPoints": decimal, "midSource": string},
                      ["rate", "midRate", "pair", "marginBasisPoints", "midSource"]),
            "costs": arr(obj({"kind": string, "description": string, "amount": ref("Money"),
                              "charged": obj({"amount": decimal, "currency": string}, ["amount", "currency"]),
                              "bearer": string, "collection": string}, ["kind", "description", "amount", "bearer", "collection"])),
            "totalCost": ref("Money"),
            "eta": obj({"earliestSettlement": datetime, "earliestSeconds": {"type": "integer"}, "p50Seconds": {"type": "integer"},
                        "p95Seconds": {"type": "integer"}, "p50At": datetime, "p95At": datetime},
                       ["earliestSettlement", "earliestSeconds", "p50Seconds", "p95Seconds", "p50At", "p95At"]),
            "assumptions": arr(obj({"name": string, "value": string, "source": string}, ["name", "value", "source"]))},
            ["id", "firmness", "createdAt", "expiresAt", "principal", "debtorPays", "creditorReceives", "costs", "totalCost", "eta", "assumptions"]),
        "reasonCodes": arr(string), "reasons": arr(obj({"code": string, "message": string}, ["code", "message"]))},
        ["rail", "displayName", "eligible"]))},
    ["requestedAt", "sourceCurrency", "destinationCurrency", "amount", "creditorCountry", "objective", "marketData", "explanation", "rails"],
    desc="Every configured rail once: ranked with its quote, or excluded with reason codes. The same JSON as `switchyard quote --json`.")
state = {"type": "string", "enum": ["created", "submitted", "pending", "settled", "failed", "returned"]}
reason = obj({"code": string, "message": string}, ["code", "message"])
schemas["Payment"] = obj({
    "id": string, "state": state, "rail": string, "quoteId": string, "idempotencyKey": string,
    "reference": {"type": "string", "description": "The rail's reference, kind:value (uetr:…, tx_hash:…), once it has one."},
    "attempt": {"type": "integer", "minimum": 0}, "debtorPays": ref("Money"), "creditorReceives": ref("Money"),
    "railCode": string, "reason": reason, "credited": ref("Money"), "returned": ref("Money"), "fundsLocation": string,
    "createdAt": datetime, "updatedAt": datetime},
    ["id", "state", "rail", "quoteId", "attempt", "debtorPays", "creditorReceives", "createdAt", "updatedAt"])
schemas["PaymentEvent"] = obj({
    "sequence": {"type": "integer"}, "paymentId": string,
    "type": {"type": "string", "enum": ["payment.prepared", "payment.submitted", "payment.status_changed", "payment.attempt_declined"]},
    "recordedAt": datetime, "attempt": {"type": "integer"}, "rail": string, "reference": string,
    "state": state, "railState": string, "railCode": string, "reason": reason, "fundsLocation": string},
    ["sequence", "paymentId", "type", "recordedAt", "attempt", "rail", "reference"])
schemas["PaymentPage"] = obj({"data": arr(ref("Payment")), "nextCursor": string}, ["data"])
schemas["EventPage"] = obj({"data": arr(ref("PaymentEvent")), "nextCursor": string}, ["data"])
schemas["CreatePayment"] = obj({"quoteId": string, "intent": ref("PaymentIntent"),
                                "rail": {"type": "string", "description": "With an intent: pay on this rail instead of the best one that executes."}},
                               closed=True, desc="Either quoteId (a quote from POST /v1/quotes, before it expires) or intent.")
schemas["Rail"] = obj({
    "rail": string, "displayName": string, "enabled": {"type": "boolean"}, "note": string, "kind": string, "canExecute": {"type": "boolean"},
    "quoteOnlyReason": string, "supportsFixedReceive": {"type": "boolean"}, "operatingHours": string, "quoteValiditySeconds": {"type": "integer"},
    "protocolVersion": {"type": "string", "description": "For a rail in another process (adapter type remote): the out-of-process rail protocol version it answered with at start."},
    "assets": arr(string),
    "corridors": arr(obj({"source": string, "destination": string, "creditorCountries": arr(string), "minimum": ref("Money"), "maximum": ref("Money")},
                         ["source", "destination"]))}, ["rail", "displayName", "enabled"])
schemas["RailList"] = obj({"data": arr(ref("Rail"))}, ["data"])
schemas["WebhookEndpoint"] = obj({
    "id": string, "url": {"type": "string", "format": "uri"}, "description": string, "enabled": {"type": "boolean"},
    "disabledReason": string, "createdAt": datetime,
    "secret": {"type": "string", "pattern": "^whsec_", "description": "The signing secret; only in the answers that create or rotate it."}},
    ["id", "url", "enabled", "createdAt"])
schemas["WebhookEndpointList"] = obj({"data": arr(ref("WebhookEndpoint"))}, ["data"])
schemas["CreateWebhookEndpoint"] = obj({
    "url": {"type": "string", "description": "https, or http to a loopback host (the sandbox).", "maxLength": 2048},
    "description": {"type": "string", "maxLength": 200}}, ["url"], closed=True)
schemas["WebhookMessage"] = obj({"type": schemas["PaymentEvent"]["properties"]["type"], "timestamp": datetime, "data": ref("PaymentEvent")},
                                ["type", "timestamp", "data"],
                                desc="A webhook's body (Standard Webhooks). Verify `webhook-signature` (v1, HMAC-SHA256 of `webhook-id.webhook-timestamp.body`, keyed by the secret's base64 bytes) before trusting it; deduplicate by `webhook-id`.")
schemas["Health"] = obj({"status": {"type": "string", "enum": ["ok", "ready"]}}, ["status"])
schemas["NotificationResult"] = obj({"matched": {"type": "boolean"}, "paymentId": string, "state": state}, ["matched"])

def problem(desc): return {"description": desc, "content": {"application/problem+json": {"schema": ref("Problem")}}}
def ok(schema, desc="OK", headers=None):
    r = {"description": desc, "content": {"application/json": {"schema": ref(schema)}}}
    if headers: r["headers"] = headers
    return r
auth = {"401": problem("No API key, or one that is not valid or revoked."), "403": problem("The key's scope does not allow this (writes need write).")}
secured = [{"apiKey": []}]
sample = json.load(open(ROOT / "Config/samples/hk-supplier-usd-cnh.json"))
usd_sample = dict(sample, destinationCurrency="USD", amount={"amount": "25000.00", "currency": "USD", "fixed": "send"})
json_body = lambda schema, examples=None: {"required": True, "content": {"application/json": dict({"schema": ref(schema)},
    **({"examples": {name: {"value": value} for name, value in examples.items()}} if examples else {}))}}
payment_links = {"GetPayment": {"operationId": "getPayment", "parameters": {"id": "$response.body#/id"}},
                 "ListPaymentEvents": {"operationId": "listPaymentEvents", "parameters": {"id": "$response.body#/id"}}}
location = {"Location": {"schema": string, "description": "The payment's URL."}}
replayed = {"Idempotent-Replayed": {"schema": {"type": "string", "enum": ["true"]}, "description": "Present when this answers a repeated request."},
            **location}
paths = {
    "/healthz": {"get": {"operationId": "health", "summary": "The process answers.", "security": [],
                         "responses": {"200": ok("Health")}}},
    "/readyz": {"get": {"operationId": "readiness", "summary": "The process and its payment store answer.", "security": [],
                        "responses": {"200": ok("Health"), "503": problem("The payment store is not reachable.")}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics: requests, quotes by outcome, payment events by state and rail, rail call latency, errors by class, webhook deliveries.",
                         "security": secured,
                         "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}},
                                       "404": problem("This server exports no metrics."), **auth}}},
    "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "security": secured,
                              "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}, **auth}}},
    "/v1/quotes": {"post": {"operationId": "createQuote", "summary": "Quote a payment on every configured rail, ranked by the intent's objective.",
                            "security": secured, "requestBody": json_body("PaymentIntent", {"hongKongSupplierCNH": sample, "hongKongSupplierUSD": usd_sample}),
                            "responses": {"200": ok("QuoteReport"), "400": problem("Bad input: each field and the rule it broke."),
                                          "413": problem("The body is larger than 64 KiB."), "415": problem("The body is not JSON."), **auth}}},
    "/v1/payments": {
        "post": {"operationId": "createPayment", "summary": "Pay a quote (by id) or an intent, exactly once per Idempotency-Key.",
                 "description": "Checks (rail, quote expiry, compliance policy), stores the payment and answers; the executor executes it and follows it to a final state. The same key with the same body answers the same payment (200); with another body 422; while the first is in flight 409.",
                 "security": secured,
                 "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                                 "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}}],
                 "requestBody": json_body("CreatePayment", {"byIntent": {"intent": usd_sample},
                                                             "onANamedRail": {"intent": usd_sample, "rail": "correspondent-bank-a"}}),
                 "responses": {"201": dict(ok("Payment", "Created.", location), links=payment_links),
                               "200": dict(ok("Payment", "The payment this key already made.", replayed), links=payment_links),
                               "400": problem("Bad input: each field (or header) and the rule it broke."),
                               "409": problem("A request with this key is still being processed."),
                               "413": problem("The body is larger than 64 KiB."), "415": problem("The body is not JSON."),
                               "422": problem("The key was used with another body, the quote expired, the payment was refused (reasons with codes), or no rail can carry it."),
                               **auth}},
        "get": {"operationId": "listPayments", "summary": "Payments, newest first, a page at a time.", "security": secured,
                "parameters": [
                    {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "One or more states, comma-separated."},
                    {"name": "rail", "in": "query", "schema": string},
                    {"name": "createdAfter", "in": "query", "schema": datetime},
                    {"name": "createdBefore", "in": "query", "schema": datetime},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                    {"name": "cursor", "in": "query", "schema": string, "description": "nextCursor of the previous page."}],
                "responses": {"200": ok("PaymentPage"), "400": problem("A query parameter is invalid."), **auth}}},
    "/v1/payments/{id}": {"get": {"operationId": "getPayment", "summary": "One payment.", "security": secured,
                                  "parameters": [{"name": "id", "in": "path", "required": True, "schema": string}],
                                  "responses": {"200": ok("Payment"), "404": problem("No such payment."), **auth}}},
    "/v1/payments/{id}/events": {"get": {"operationId": "listPaymentEvents", "summary": "A payment's journal, in order.", "security": secured,
                                         "parameters": [{"name": "id", "in": "path", "required": True, "schema": string}],
                                         "responses": {"200": ok("EventPage"), "404": problem("No such payment."), **auth}}},
    "/v1/rails": {"get": {"operationId": "listRails", "summary": "Configured rails and their capabilities.", "security": secured,
                          "responses": {"200": ok("RailList"), **auth}}},
    "/v1/webhook-endpoints": {
        "post": {"operationId": "createWebhookEndpoint", "summary": "Subscribe a URL to payment events; the answer holds its signing secret, once.",
                 "security": secured, "requestBody": json_body("CreateWebhookEndpoint", {"sandbox": {"url": "http://127.0.0.1:9000/hooks", "description": "ledger"}}),
                 "responses": {"201": ok("WebhookEndpoint", "Created.", {"Location": {"schema": string}}), "400": problem("Bad input."),
                               "413": problem("The body is larger than 64 KiB."), "415": problem("The body is not JSON."), **auth}},
        "get": {"operationId": "listWebhookEndpoints", "summary": "Subscribed endpoints (never their secrets).", "security": secured,
                "responses": {"200": ok("WebhookEndpointList"), **auth}}},
    "/v1/webhook-endpoints/{id}": {"delete": {
        "operationId": "deleteWebhookEndpoint", "summary": "Unsubscribe; pending deliveries to it are dropped.", "security": secured,
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": string}],
        "responses": {"204": {"description": "Deleted."}, "404": problem("No such endpoint."), **auth}}},
    "/v1/webhook-endpoints/{id}/rotate-secret": {"post": {
        "operationId": "rotateWebhookSecret", "summary": "A new signing secret; the old one keeps signing beside it for 24 hours.",
        "security": secured, "parameters": [{"name": "id", "in": "path", "required": True, "schema": string}],
        "responses": {"200": ok("WebhookEndpoint"), "404": problem("No such endpoint."), **auth}}},
    "/v1/rails/{rail}/notifications": {"post": {
        "operationId": "receiveRailNotification",
        "summary": "A counterpart's signed status callback (e.g. a bank's pacs.002), authenticated by its rail.",
        "description": "No API key: the rail checks the counterpart's signature. A notification for no payment of ours is acknowledged with matched=false.",
        "security": [],
        "parameters": [{"name": "rail", "in": "path", "required": True, "schema": string}],
        "requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}},
        "responses": {"200": ok("NotificationResult"), "401": problem("The notification could not be authenticated or read."),
                      "404": problem("No configured rail of that name takes notifications."), "413": problem("The body is larger than 1 MiB.")}}},
}
doc = {
    "openapi": "3.1.0",
    "info": {"title": "Switchyard", "version": "1.0.0",
             "description": "Quote cross-border payments across rails, pay exactly once, follow each payment to settlement. Amounts are decimal strings with a currency. Errors are RFC 9457 problem details."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": secured,
    "paths": paths,
    "webhooks": {"paymentEvent": {"post": {
        "summary": "Each payment event, to every enabled endpoint, signed (Standard Webhooks); retried with backoff for more than a day; an endpoint answering 410 is disabled.",
        "parameters": [{"name": n, "in": "header", "required": True, "schema": string} for n in ("webhook-id", "webhook-timestamp", "webhook-signature")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("WebhookMessage")}}},
        "responses": {"2XX": {"description": "Delivered."}, "410": {"description": "Gone: stop sending to this endpoint."}}}}},
    "components": {"schemas": schemas,
                   "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "An API key from `switchyard keys create`: syk_<id>_<secret>."}}},
}
open(ROOT / "Sources/SwitchyardServer/openapi.json", "w").write(json.dumps(doc, indent=2) + "\n")
