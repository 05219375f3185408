import BankSimulator
import Foundation
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

/// Every pacs.008 the builder produces must pass the official XSD (checked by xmllint, an
/// independent implementation), across many generated payments.
@Suite("pacs.008 against the official XSD")
struct Pacs008SchemaTests {
    static let names = ["Acme Imports Inc", "Müller & Söhne GmbH", "O'Brien <Trading> \"Ltd\"", "Société Générale Façade",
                        "Łódź Export Sp. z o.o.", "Ærø Shipping A/S", "Harbour Supplies Limited", "Smith–Jones {Holdings}",
                        "Zhang San Trading Co., Ltd.", "A & B #1 (Asia) Pte. Ltd."]
    static let towns = ["New York", "Hong Kong", "São Paulo", "Zürich", "Kowloon"]
    static let bics = ["SWYAUS33", "SWYSUS33", "SWYNUS33", "SWYCHKHH", "SWYEHKHH", "DEUTDEFF500", "HSBCHKHHHKH"]
    static let ibans = ["DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606"]
    static let currencies: [Currency] = [.usd, .cnh, .eur, .hkd, .jpy]

    @Test("300 random payments validate; the seed is in the message")
    func generatedPaymentsValidate() throws {
        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SeededRandom(seed: seed)
        var transfers = [CustomerCreditTransfer]()
        for _ in 0..<300 {
            transfers.append(try Self.randomTransfer(&random))
        }
        let documents = try transfers.map { try $0.xml() }
        let results = try Fixtures.schemas.validate(documents, as: .pacs008)
        for (index, problem) in results.enumerated() where problem != nil {
            Issue.record("seed \(seed), payment \(index) fails the XSD:\n\(problem!)\n\(String(decoding: documents[index], as: UTF8.self))")
        }
        // And each reads back to the same payment (text after SWIFT transliteration).
        for (index, document) in documents.enumerated() {
            let parsed = try CustomerCreditTransfer(parsing: MessageReader.parse(document))
            let original = transfers[index]
            #expect(parsed.uetr == original.uetr, "seed \(seed) payment \(index)")
            // Offshore yuan travels as CNY (ISO 4217 has no CNH) and is booked back as CNH.
            #expect(!String(decoding: document, as: UTF8.self).contains("Ccy=\"CNH\""), "seed \(seed) payment \(index)")
            #expect(parsed.bookedAsOffshoreYuan.settlementAmount == original.settlementAmount.bookedAsOffshoreYuan, "seed \(seed) payment \(index)")
            #expect(parsed.bookedAsOffshoreYuan.charges == original.bookedAsOffshoreYuan.charges, "seed \(seed) payment \(index)")
            #expect(parsed.intermediaries == original.intermediaries, "seed \(seed) payment \(index)")
            #expect(parsed.creditorAccount == original.creditorAccount, "seed \(seed) payment \(index)")
            #expect(parsed.creditor.name == (try SWIFTText.sanitize(original.creditor.name, field: "n", maxLength: 140)), "seed \(seed) payment \(index)")
            #expect(abs(parsed.createdAt.timeIntervalSince(original.createdAt)) < 1, "seed \(seed) payment \(index)")
        }
    }

    static func randomTransfer(_ random: inout SeededRandom) throws -> CustomerCreditTransfer {
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
        func account() throws -> MessageAccount {
            Bool.random(using: &random) ? .iban(try IBAN(pick(ibans))) : .other(String((0..<Int.random(in: 6...20, using: &random)).map { _ in pick(Array("0123456789")) }))
        }
        func party() -> MessageParty {
            let address: PostalAddress? = Bool.random(using: &random)
                ? PostalAddress(streetName: Bool.random(using: &random) ? "Queen's Road Central" : nil, buildingNumber: Bool.random(using: &random) ? "88" : nil,
                                postCode: Bool.random(using: &random) ? "10001" : nil, townName: pick(towns),
                                countrySubDivision: Bool.random(using: &random) ? "NY" : nil, country: pick([.unitedStates, .hongKong, .china]))
                : nil
            return MessageParty(name: pick(names), address: address, lei: Bool.random(using: &random) ? try! LEI("5493001KJTIIGC8Y1R12") : nil)
        }
        let source = pick(currencies), destination = pick(currencies)
        let minorUnits = Int128(Int.random(in: 1...5_000_000_000, using: &random))
        let settlement = Money(minorUnits: minorUnits, asset: .fiat(destination))
        let bearer = pick(ChargeBearer.allCases)
        let crossCurrency = source != destination
        var charges = [AgentCharge]()
        if bearer == .ben || Int.random(in: 0..<4, using: &random) == 0 {
            charges.append(AgentCharge(amount: try .fiat("25.00", .usd), agent: try BIC(pick(bics))))
        }
        let zones = ["America/New_York", "Asia/Hong_Kong", "UTC", "Asia/Kolkata", "America/St_Johns"]
        let offsetSeconds = Double(Int.random(in: 0..<(3 * 365 * 86_400), using: &random))
        return CustomerCreditTransfer(
            messageID: "SWY" + String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 36).uppercased(),
            createdAt: Date(timeIntervalSince1970: 1_750_000_000 + offsetSeconds), timeZone: TimeZone(identifier: pick(zones))!,
            settlementMethod: pick(SettlementMethod.allCases), instructingAgent: try BIC(pick(bics)), instructedAgent: try BIC(pick(bics)),
            instructionID: "I\(Int.random(in: 1...999_999, using: &random))", endToEndID: pick(["NOTPROVIDED", "INV-2026/001", "PO 7781"]),
            transactionID: "T\(Int.random(in: 1...999_999, using: &random))",
            uetr: UETR(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }),
            settlementAmount: settlement, settlementDate: LocalDate(year: 2026, month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random)),
            instructedAmount: crossCurrency ? Money(minorUnits: Int128(Int.random(in: 1...5_000_000_000, using: &random)), asset: .fiat(source)) : nil,
            exchangeRate: crossCurrency ? ExactDecimal(significand: Int128(Int.random(in: 1...999_999_999_999, using: &random)), scale: Int.random(in: 4...12, using: &random)) : nil,
            chargeBearer: bearer, charges: charges, debtor: party(), debtorAccount: try account(), debtorAgent: try BIC(pick(bics)),
            intermediaries: try (0..<Int.random(in: 0...3, using: &random)).map { _ in try BIC(pick(bics)) },
            creditorAgent: try BIC(pick(bics)), creditor: party(), creditorAccount: try account(),
            purpose: Bool.random(using: &random) ? pick(["GDDS", "SUPP", "TRAD"]) : nil,
            remittanceInformation: Bool.random(using: &random) ? pick(["Invoice 2026-001 & 002", "PO <7781>", "Rechnung für März"]) : nil)
    }

    @Test("a document with an envelope and header carries a Document that validates")
    func envelopeWithHeader() throws {
        let transfer = try Fixtures.transfer()
        let envelope = BusinessApplicationHeader(from: transfer.instructingAgent, to: transfer.instructedAgent, businessMessageID: transfer.messageID,
                                                 messageType: .pacs008, createdAt: transfer.createdAt)
            .wrap(try transfer.document(), timeZone: transfer.timeZone)
        let parsed = try MessageReader.parse(Data(envelope.document().utf8))
        #expect(parsed.root.child("AppHdr")?.text(at: "MsgDefIdr") == "pacs.008.001.08")
        #expect(parsed.root.child("AppHdr")?.text(at: "BizSvc") == "swift.cbprplus.03")
        let document = try parsed.unwrappingEnvelope()
        #expect(document.messageType == .pacs008)
        #expect(try Fixtures.schemas.validate(document.standaloneXML(), as: .pacs008) == nil)
        #expect(try CustomerCreditTransfer(parsing: document).uetr == transfer.uetr)
    }

    @Test("the validator catches a broken document (the test can fail)")
    func validatorRejects() throws {
        var broken = String(decoding: try Fixtures.transfer().xml(), as: UTF8.self)
        broken = broken.replacingOccurrences(of: "<ChrgBr>SHAR</ChrgBr>", with: "<ChrgBr>SHA</ChrgBr>")
        let problem = try #require(try Fixtures.schemas.validate(Data(broken.utf8), as: .pacs008))
        #expect(problem.contains("ChrgBr"))
    }

    @Test("CBPR+ rules the XSD cannot express are enforced by the builder")
    func cbprRules() throws {
        var transfer = try Fixtures.transfer()
        transfer.chargeBearer = .ben
        #expect(throws: ISO20022Error.invalidValue(path: "ChrgsInf", value: "absent", rule: "cbpr.charges_required_when_CRED")) { try transfer.document() }
        transfer = try Fixtures.transfer()
        transfer.intermediaries = try ["SWYNUS33", "SWYCHKHH", "SWYEHKHH", "SWYAUS33"].map { try BIC($0) }
        #expect(throws: ISO20022Error.self) { try transfer.document() }
        transfer = try Fixtures.transfer()
        transfer.endToEndID = "INV//2026"
        #expect(throws: ISO20022Error.self) { try transfer.document() }
        // Date-times carry the zone's offset, never Z.
        let text = String(decoding: try Fixtures.transfer().xml(), as: UTF8.self)
        #expect(text.contains("<CreDtTm>2026-11-18T") && text.contains("-05:00</CreDtTm>"))
        #expect(text.contains("<UETR>07070707-0707-4707-8707-070707070707</UETR>"))
        #expect(text.contains("<NbOfTxs>1</NbOfTxs>"))
        #expect(text.contains("<Othr>") && text.contains("<BICFI>SWYEHKHH</BICFI>"))
    }
}
