import Foundation
import RailKit
import RailKitTesting
import Testing

/// The contract's types cross every boundary (journal, store, wire) as JSON and must read back
/// exactly; what earlier versions wrote must keep reading.
@Suite("Rail contract coding")
struct ContractCodingTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000.25)
    static let chain = ChainID(uncheckedNamespace: "eip155", reference: "8453")
    static let eth = Token(symbol: "ETH", chain: chain, contract: nil, decimals: 18, denomination: nil)
    static let jpmd = Token(symbol: "JPMD", chain: chain, contract: ChainAddress(uncheckedText: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
                            decimals: 18, denomination: .usd)

    static func roundTrip<Value: Codable & Equatable>(_ value: Value) throws -> Value {
        let data = try RailCoding.encoder().encode(value)
        let decoded = try RailCoding.decoder().decode(Value.self, from: data)
        #expect(decoded == value, "\(String(decoding: data, as: UTF8.self))")
        return decoded
    }

    static func quote() throws -> Quote {
        let usd = Asset.fiat(.usd)
        let gas = CostItem(kind: .networkFee, description: "ETH gas", amount: try .fiat("0.02", .usd),
                           charged: Money(minorUnits: 12_345_678_901_234, asset: .token(eth)), bearer: .debtor, collection: .billed)
        let margin = CostItem(kind: .fxMargin, description: "FX", amount: try .fiat("12.50", .usd), bearer: .debtor, collection: .inRate)
        let breakdown = PriceBreakdown(
            principal: try .fiat("250000.00", .usd), debtorPays: try .fiat("250000.02", .usd), creditorReceives: try .fiat("1779250.00", .cnh),
            fx: FXDetail(applied: try ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.117")),
                         mid: try ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.12")), midSource: "test"),
            costs: [gas, margin], totalCost: try [gas.amount, margin.amount].sum(in: usd))
        return Quote(id: QuoteID("q-1"), railID: "jpmd-base", firmness: .firm, createdAt: now, expiresAt: now.addingTimeInterval(60),
                     breakdown: breakdown,
                     eta: SettlementEstimate(earliest: now, p50: now.addingTimeInterval(30), p95: now.addingTimeInterval(90)),
                     assumptions: [Assumption("gas_price_gwei", "0.01", source: "eth_feeHistory")])
    }

    @Test("quotes, outcomes and money (fiat and token) round-trip exactly")
    func quotes() throws {
        let quote = try Self.quote()
        _ = try Self.roundTrip(quote)
        _ = try Self.roundTrip(QuoteOutcome.quoted(quote))
        _ = try Self.roundTrip(QuoteOutcome.declined(RailDecline(.corridorNotSupported, "no")))
        let token = try Self.roundTrip(Money(minorUnits: 1, asset: .token(Self.jpmd)))
        #expect(token.asset == .token(Self.jpmd))
        // Amounts are decimal strings, never JSON numbers.
        let json = String(decoding: try RailCoding.encoder().encode(quote.principal), as: UTF8.self)
        #expect(json == #"{"amount":"250000.00","currency":"USD"}"#)
    }

    @Test("capabilities, statuses, receipts and journal events round-trip exactly")
    func execution() throws {
        let capabilities = RailCapabilities(
            kind: .correspondentBanking, corridors: [Corridor(source: .usd, destination: .cnh, creditorCountries: [.hongKong],
                                                              minimum: try .fiat("1.00", .usd), maximum: nil)],
            assets: [.fiat(.usd), .token(Self.jpmd)], operatingHours: .businessDays(calendarID: "HK", cutOff: LocalTime(hour: 17, minute: 0)),
            supportsFixedReceive: true, quoteOnlyReason: "execution.endpoint is not set", quoteValiditySeconds: 60)
        _ = try Self.roundTrip(RailDescriptor(id: "correspondent-bank-a", displayName: "Bank A", capabilities: capabilities))
        struct Payload: RailCheckpointPayload {
            static let railType = "test"
            static let schemaVersion = 1
            var value: Money
        }
        let reference = RailReference(kind: "uetr", value: "eb6305c9-1f7f-49de-aed0-16487c27b42d")
        let submission = RailSubmission(reference: reference, checkpoint: try RailCheckpoint(Payload(value: try .fiat("1.00", .usd))))
        let status = RailPaymentStatus(
            reference: reference, state: .settled, railCode: "ACCC", observedAt: Self.now, credited: try .fiat("99985.00", .usd),
            deductedCharges: [DeductedCharge(amount: try .fiat("15.00", .usd), agent: "SWYEHKHH")], counterpartReasonCodes: ["AC04"],
            counterpartReferences: [RailReference(kind: "bank_reference", value: "B-1")], breakdown: [ReceiptLine("usd_sold", try .fiat("1.00", .usd))],
            fxRate: try ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.0844")), notes: ["rounded"],
            legs: [PaymentLeg(kind: .fxConversion, reference: RailReference(kind: "fx_deal", value: "D-1"), state: .settled,
                              amountIn: try .fiat("1.00", .usd), amountOut: try .fiat("7.08", .cnh), fundsLocation: "dealer")])
        _ = try Self.roundTrip(ExecutionReceipt(submission: submission, status: status))
        for event in [ExecutionEvent.prepared(submission), .submitted(reference), .statusChanged(status)] {
            _ = try Self.roundTrip(event)
        }
        let request = ExecutionRequest(paymentID: "p-1", intent: try PaymentIntent(
            debtor: Party(name: "Acme", country: .unitedStates), creditor: Party(name: "Harbour", country: .hongKong),
            sourceCurrency: .usd, destinationCurrency: .cnh, amount: PaymentAmount(try .fiat("250000.00", .usd), fixed: .send)),
            quote: try Self.quote(), now: Self.now)
        let decoded = try RailCoding.decoder().decode(ExecutionRequest.self, from: try RailCoding.encoder().encode(request))
        #expect(decoded.paymentID == request.paymentID && decoded.intent == request.intent && decoded.quote == request.quote && decoded.now == request.now)
    }

    @Test("errors cross the wire too: every rail error, money error and validation error round-trips")
    func errors() throws {
        for error in [RailError.unavailable("503"), .invalidResponse("bad"), .misconfigured("no calendar"),
                      .unsupported(operation: "execute", rail: "jpmd-base"), .money(.overflow("x")), .money(.inexact("y")),
                      .money(.assetMismatch("z")), .declined(RailDecline(.quoteExpired, "late"))] {
            _ = try Self.roundTrip(error)
        }
        _ = try Self.roundTrip(ValidationError(field: "amount.amount", value: "-1", rule: "decimal.negative", message: "must not be negative"))
        _ = try Self.roundTrip(Admission.admitted(corridorIndex: 2))
        _ = try Self.roundTrip(Admission.declined(RailDecline(.amountAboveMaximum, "too much")))
        _ = try Self.roundTrip(RoutingObjective.balanced(annualTimeValueRate: try ExactDecimal(parsing: "0.08")))
        _ = try Self.roundTrip(PaymentAmount(try .fiat("1780000.00", .cnh), fixed: .receive))
    }

    @Test("a checkpoint is read back only as its own rail's type, in a version the reader knows")
    func checkpoints() throws {
        struct V1: RailCheckpointPayload {
            static let railType = "deposit-token"
            static let schemaVersion = 1
            var nonce: UInt64
        }
        struct Other: RailCheckpointPayload {
            static let railType = "correspondent-banking"
            static let schemaVersion = 1
            var nonce: UInt64
        }
        let checkpoint = try RailCheckpoint(V1(nonce: 7))
        #expect(try checkpoint.decode(V1.self) == V1(nonce: 7))
        #expect(throws: RailError.self) { try checkpoint.decode(Other.self) }
        var newer = checkpoint
        newer.schemaVersion = 2
        #expect(throws: RailError.self) { try newer.decode(V1.self) }
        // The envelope exactly as this version writes it, kept as text: it must keep reading.
        let written = #"{"payload":"{\"nonce\":7}","railType":"deposit-token","schemaVersion":1}"#
        #expect(String(decoding: try RailCoding.encoder().encode(checkpoint), as: UTF8.self) == written)
        #expect(try RailCoding.decoder().decode(RailCheckpoint.self, from: Data(written.utf8)).decode(V1.self).nonce == 7)
    }

    @Test("instants are written in UTC to the millisecond, as the standard formatter writes them, across leap days and centuries")
    func millisecondTimestamps() throws {
        var random = SeededRandom(seed: 20261129)
        // 1970, 2000-02-29, now-ish, just before 1970, 9999-12-31, 1601-01-01 (the Gregorian calendar throughout).
        let fixed: [Int64] = [0, 951_782_400_000, 1_795_000_000_250, -1, 253_402_300_799_999, -11_644_473_600_000]
        let randomMillis = (0..<2000).map { _ in Int64.random(in: -11_644_473_600_000...253_402_300_799_999, using: &random) }
        for millis in fixed + randomMillis {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            // The oracle: Foundation's formatter, half a millisecond in so its truncation lands on the same millisecond.
            let expected = Date(timeIntervalSince1970: (Double(millis) + 0.5) / 1000).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            #expect(Timestamp.formatMilliseconds(Date(timeIntervalSince1970: (Double(millis) + 0.5) / 1000)) == expected, "\(millis)")
            // Read back, the instant is the same to the millisecond (a double's rounding may cost one).
            let readBack = try #require(Timestamp.parse(Timestamp.formatMilliseconds(date)), "\(millis)")
            #expect(abs(readBack.timeIntervalSince(date)) <= 0.0011, "\(millis): \(readBack.timeIntervalSince(date))")
        }
    }

    @Test("property: instants to the second are written as Foundation's ISO 8601 style writes them (fractions, noise around whole seconds, leap days, 1601 to 9999)")
    func secondTimestamps() {
        var random = SeededRandom(seed: 14)
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
        var instants = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: -11_644_473_600...253_402_300_799, using: &random)) }
        for _ in 0..<5_000 {
            let second = Double(Int64.random(in: -11_644_473_600...253_402_300_799, using: &random))
            instants += [second, second.nextDown, second.nextUp, second - 1e-6, second + 1e-6, second + 0.999_999].map { Date(timeIntervalSince1970: $0) }
            let reference = Date(timeIntervalSinceReferenceDate: second)
            instants += [reference, reference.addingTimeInterval(-1e-9), reference.addingTimeInterval(1e-9)]
        }
        var differences = 0
        for instant in instants where Timestamp.format(instant) != instant.formatted(style) {
            differences += 1
            if differences <= 3 { Issue.record("\(instant.timeIntervalSince1970): \(Timestamp.format(instant)) vs \(instant.formatted(style))") }
        }
        #expect(differences == 0)
    }

    @Test("JSON earlier versions wrote still reads: fiat money, a wallet's chain as a bare EIP-155 number")
    func earlierJSON() throws {
        let money = try RailCoding.decoder().decode(Money.self, from: Data(#"{"amount": "250000.00", "currency": "USD"}"#.utf8))
        #expect(money == (try .fiat("250000.00", .usd)))
        let wallet = try JSONDecoder().decode(Wallet.self, from: Data(#"{"chain": 8453, "address": "0x2222222222222222222222222222222222222222"}"#.utf8))
        #expect(wallet.chain == Self.chain)
        #expect { try JSONDecoder().decode(Wallet.self, from: Data(#"{"chain": 8453, "address": "0x0x22222222222222222222222222222222222222"}"#.utf8)) }
            throws: { ($0 as? ValidationError)?.rule == "evm_address.format" }
    }
}

@Suite("Timestamps are parsed strictly")
struct TimestampParsingTests {
    @Test("property: what Timestamp writes it reads back exactly, to the second and to the millisecond")
    func roundTrip() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<5_000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &random)
            let instant = Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
            // Written, read and written again: the same text (what a stored record keeps).
            let written = Timestamp.formatMilliseconds(instant)
            #expect(Timestamp.parse(written).map(Timestamp.formatMilliseconds) == written, "\(written)")
            let second = Date(timeIntervalSince1970: TimeInterval(millis / 1000))
            #expect(Timestamp.parse(Timestamp.format(second)) == second)
        }
    }

    @Test("offsets, fractions and lower-case separators as RFC 3339 allows")
    func accepted() {
        #expect(Timestamp.parse("2026-11-25T17:00:00+08:00") == Timestamp.parse("2026-11-25T09:00:00Z"))
        #expect(Timestamp.parse("2026-11-25T04:00:00-05:00") == Timestamp.parse("2026-11-25T09:00:00Z"))
        #expect(Timestamp.parse("2026-11-25t09:00:00.5z")?.timeIntervalSince1970 == Timestamp.parse("2026-11-25T09:00:00Z")!.timeIntervalSince1970 + 0.5)
        #expect(Timestamp.parse("2028-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parse("2000-02-29T00:00:00Z") != nil)
    }

    @Test("anything else is refused: trailing text, impossible dates and times, no offset, other formats", arguments: [
        "2026-11-20T15:00:00Z+08:00", "2026-11-20T15:00:00Z ", " 2026-11-20T15:00:00Z", "2026-11-20T15:00:00", "2026-02-30T00:00:00Z",
        "2027-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T15:60:00Z", "2026-11-20T15:00:60Z",
        "2026-13-01T00:00:00Z", "2026-11-20 15:00:00Z", "2026-11-20T15:00:00+0800", "2026-11-20T15:00:00+24:00", "2026-11-20T15:00:00.Z",
        "2026-11-20T15:00:00.1234567890Z", "20261120T150000Z", "2026-11-20", "", "２０２６-11-20T15:00:00Z",
    ])
    func refused(text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text)")
    }
}
