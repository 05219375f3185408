import Foundation
import Testing
@testable import RailKit

@Suite("Payment intents")
struct PaymentIntentTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/samples")

    static func sample(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: samples.appendingPathComponent(name))) as! [String: Any]
    }

    static func decode(_ object: [String: Any]) throws -> PaymentIntent {
        try JSONDecoder().decode(PaymentIntent.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test("the samples decode and encode back to the same intent")
    func samplesRoundTrip() throws {
        for name in ["hk-supplier-usd-cnh.json", "cn-supplier-usd-cnh.json", "hk-invoice-fixed-receive-cnh.json", "hk-usd-deposit-token.json"] {
            let intent = try Self.decode(try Self.sample(name))
            let again = try JSONDecoder().decode(PaymentIntent.self, from: JSONEncoder().encode(intent))
            #expect(again == intent, "\(name)")
        }
        let invoice = try Self.decode(try Self.sample("hk-invoice-fixed-receive-cnh.json"))
        #expect(invoice.amount == PaymentAmount(try .fiat("1780000.00", .cnh), fixed: .receive))
        #expect(invoice.objective == .balanced(annualTimeValueRate: try ExactDecimal(parsing: "0.08")))
    }

    @Test("bad input names the field and the rule", arguments: [
        ("amount", ["amount": "1e5", "currency": "USD", "fixed": "send"], "amount.amount", "decimal.exponent_not_allowed"),
        ("amount", ["amount": "100.001", "currency": "USD", "fixed": "send"], "amount.amount", "decimal.too_many_decimals"),
        ("amount", ["amount": "-5", "currency": "USD", "fixed": "send"], "amount.amount", "decimal.negative_not_allowed"),
        ("amount", ["amount": "100", "currency": "CNH", "fixed": "send"], "amount.currency", "amount.currency_mismatch"),
        ("amount", ["amount": "0", "currency": "USD", "fixed": "send"], "amount.amount", "amount.not_positive"),
        ("objective", "balanced", "objective.annualTimeValueRate", "objective.rate_required"),
        ("objective", "quickest", "objective", "objective.unknown"),
        ("deadline", "tomorrow", "deadline", "timestamp.format"),
        ("purpose", "goods", "purpose", "purpose.format"),
    ] as [(String, any Sendable, String, String)])
    func rejects(key: String, value: any Sendable, field: String, rule: String) throws {
        var object = try Self.sample("hk-supplier-usd-cnh.json")
        object[key] = value
        #expect { try Self.decode(object) } throws: { error in
            guard let error = error as? ValidationError else { return false }
            return error.field == field && error.rule == rule
        }
    }

    @Test("nested identifiers report their path")
    func nestedPaths() throws {
        var object = try Self.sample("hk-supplier-usd-cnh.json")
        var creditor = object["creditor"] as! [String: Any]
        creditor["country"] = "XX"
        object["creditor"] = creditor
        #expect { try Self.decode(object) } throws: { ($0 as? ValidationError)?.field == "creditor.country" }

        object = try Self.sample("hk-supplier-usd-cnh.json")
        var debtor = object["debtor"] as! [String: Any]
        var accounts = debtor["accounts"] as! [String: Any]
        // RailKit checks an EVM address's shape (the checksum is EVMKit's, checked where intents enter).
        accounts["wallets"] = [["chain": "eip155:8453", "address": "0x0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"]]
        debtor["accounts"] = accounts
        object["debtor"] = debtor
        #expect { try Self.decode(object) } throws: { ($0 as? ValidationError)?.field == "debtor.accounts.wallets[0].address" }
    }

    @Test("travel-rule completeness follows FATF R.16")
    func travelRule() {
        var data = TravelRuleData(originator: TravelRuleParty(name: "A", accountNumber: "1"), beneficiary: TravelRuleParty(name: "B", accountNumber: "2"))
        #expect(data.missingFields == ["travelRule.originator.(geographicAddress|nationalIdentifier|customerIdentification|lei|dateAndPlaceOfBirth)"])
        data.originator.customerIdentification = "C-1"
        #expect(data.missingFields.isEmpty)
        data.beneficiary.accountNumber = " "
        #expect(data.missingFields == ["travelRule.beneficiary.accountNumber"])
        // Invisible characters only are not a value: tab, no-break and ideographic spaces, a zero-width space.
        data.beneficiary.accountNumber = "\t\u{00A0}\u{3000}\u{200B}"
        #expect(data.missingFields == ["travelRule.beneficiary.accountNumber"])
    }

    @Test("a party's name of blank characters only is refused (spaces of every kind, tab, zero-width space)")
    func blankNames() throws {
        for name in [" ", "\t", "\u{00A0}", "\u{2003}\u{3000}", "\u{200B}"] {
            var object = try Self.sample("hk-supplier-usd-cnh.json")
            var creditor = object["creditor"] as! [String: Any]
            creditor["name"] = name
            object["creditor"] = creditor
            #expect(throws: ValidationError.self, "\(name.unicodeScalars.map { String($0.value, radix: 16) })") { try Self.decode(object) }
        }
    }
}
