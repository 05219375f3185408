import BankSimulator
import Foundation
@testable import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

@Suite("pacs.002 and pacs.004")
struct StatusMessageTests {
    static let uetr = UETR(bytes: Array(repeating: 7, count: 16))

    static func report(_ status: TransactionStatusCode, reasons: [StatusReason] = [], charges: [AgentCharge] = [],
                       settled: Money? = nil) throws -> Data {
        let report = PaymentStatusReport(
            messageID: "STS1", createdAt: Date(timeIntervalSince1970: 1_795_000_000), originalMessageID: "SWYMSG0001",
            transactions: [TransactionStatus(originalEndToEndID: "INV-1", originalUETR: uetr, status: status, reasons: reasons,
                                             charges: charges, acceptedAt: Date(timeIntervalSince1970: 1_795_000_000),
                                             originalSettlementAmount: settled, reportingAgent: try BIC("SWYSUS33"))])
        return Data(try report.document(timeZone: TimeZone(identifier: "Asia/Hong_Kong")!).document().utf8)
    }

    @Test("every status code builds a valid pacs.002 and reads back", arguments: TransactionStatusCode.listed)
    func eachStatus(status: TransactionStatusCode) throws {
        let reasons = status == .rejected ? [StatusReason(code: "AC01", additionalInformation: ["account 1234 unknown"])] : []
        let data = try Self.report(status, reasons: reasons)
        #expect(try Fixtures.schemas.validate(data, as: .pacs002) == nil)
        guard case .statusReport(let report) = try InboundMessage(parsing: data) else { Issue.record("not a status report"); return }
        #expect(report.transactions.first?.status == status)
        #expect(report.transactions.first?.originalUETR == Self.uetr)
        #expect(report.originalMessageID == "SWYMSG0001")
    }

    @Test("a status code ISO may add is kept as sent (the schema allows it), a malformed one names the rule; reason codes are kept exactly as sent")
    func openStatusCodes() throws {
        let unlisted = TransactionStatusCode("ACZZ")
        #expect(!unlisted.isListed && TransactionStatusCode.acceptedClearingProcessed.isListed)
        let data = try Self.report(unlisted, reasons: [StatusReason(code: "ab1", additionalInformation: ["a code as the bank wrote it"])])
        #expect(try Fixtures.schemas.validate(data, as: .pacs002) == nil)
        guard case .statusReport(let report) = try InboundMessage(parsing: data) else { Issue.record("not a status report"); return }
        #expect(report.transactions.first?.status == unlisted)
        #expect(report.transactions.first?.reasons.map(\.code) == ["ab1"])
        for malformed in ["acsp", "ACSPX", "AC1P", "ACS"] {
            let text = String(decoding: try Self.report(.pending), as: UTF8.self).replacingOccurrences(of: "<TxSts>PDNG</TxSts>", with: "<TxSts>\(malformed)</TxSts>")
            #expect {
                _ = try InboundMessage(parsing: Data(text.utf8))
            } throws: { error in
                guard case ISO20022Error.invalidValue(let path, let value, let rule) = error else { return false }
                return path.hasSuffix("TxSts") && value == malformed && rule.hasPrefix("iso.ExternalPaymentTransactionStatus1Code")
            }
        }
    }

    @Test("offshore yuan is written CNY, read back as CNY and booked as CNH by who asks; a message saying CNH is refused naming ISO 4217")
    func offshoreYuan() throws {
        let settled = try Money.fiat("1780000.00", .cnh)
        let data = try Self.report(.acceptedCreditSettlementCompleted, settled: settled)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("Ccy=\"CNY\"") && !text.contains("CNH"))
        guard case .statusReport(let report) = try InboundMessage(parsing: data) else { Issue.record("not a status report"); return }
        #expect(report.transactions.first?.originalSettlementAmount == (try Money.fiat("1780000.00", .cny)))
        #expect(report.transactions.first?.originalSettlementAmount?.bookedAsOffshoreYuan == settled)
        #expect(try Money.fiat("10.00", .usd).bookedAsOffshoreYuan == (try Money.fiat("10.00", .usd)))
        #expect {
            _ = try InboundMessage(parsing: Data(text.replacingOccurrences(of: "Ccy=\"CNY\"", with: "Ccy=\"CNH\"").utf8))
        } throws: { error in
            guard case ISO20022Error.invalidValue(_, let value, let rule) = error else { return false }
            return value == "CNH" && rule.hasPrefix("iso4217")
        }
    }

    @Test("a rejection with several reasons keeps each code and its text")
    func multipleReasons() throws {
        let data = try Self.report(.rejected, reasons: [
            StatusReason(code: "AC01", additionalInformation: ["creditor account unknown"]),
            StatusReason(code: "RR03", additionalInformation: ["creditor address missing", "second line"]),
            StatusReason(code: "X123"),
            StatusReason(code: "BANKPOLICY7", isProprietary: true),
        ])
        #expect(try Fixtures.schemas.validate(data, as: .pacs002) == nil)
        guard case .statusReport(let report) = try InboundMessage(parsing: data) else { Issue.record("not a status report"); return }
        let reasons = try #require(report.transactions.first?.reasons)
        #expect(reasons.map(\.code) == ["AC01", "RR03", "X123", "BANKPOLICY7"])
        #expect(reasons[0].meaning == "IncorrectAccountNumber")
        #expect(reasons[1].additionalInformation == ["creditor address missing", "second line"])
        // A well-formed code outside our list is kept, flagged, never dropped.
        #expect(reasons[2].meaning.contains("not in"))
        #expect(reasons[3].isProprietary)
    }

    @Test("malformed reports are refused with what is wrong")
    func malformedReports() throws {
        // A rejection without a reason.
        let noReason = try Self.report(.rejected, reasons: [])
        #expect(throws: ISO20022Error.missing(path: "FIToFIPmtStsRpt/TxInfAndSts[0]/StsRsnInf/Rsn (a rejection must give its reason)")) {
            try InboundMessage(parsing: noReason)
        }
        // Not XML, a DTD, another message, a malformed reason code, a bad amount.
        #expect(throws: ISO20022Error.self) { try InboundMessage(parsing: Data("not xml".utf8)) }
        #expect(throws: ISO20022Error.self) {
            try InboundMessage(parsing: Data("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".utf8))
        }
        #expect(throws: ISO20022Error.self) { try InboundMessage(parsing: try Fixtures.transfer().xml()) }
        let badCode = String(decoding: try Self.report(.rejected, reasons: [StatusReason(code: "AC01")]), as: UTF8.self)
            .replacingOccurrences(of: "<Cd>AC01</Cd>", with: "<Cd>ac-01</Cd>")
        #expect(throws: ISO20022Error.self) { try InboundMessage(parsing: Data(badCode.utf8)) }
        let badAmount = String(decoding: try Self.report(.acceptedCreditSettlementCompleted, settled: try .fiat("100.00", .usd)), as: UTF8.self)
            .replacingOccurrences(of: ">100<", with: ">100.001<")
        #expect(throws: ISO20022Error.self) { try InboundMessage(parsing: Data(badAmount.utf8)) }
    }

    @Test("a group status without transaction details applies to the message's payment")
    func groupStatus() throws {
        let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"><FIToFIPmtStsRpt>
          <GrpHdr><MsgId>G1</MsgId><CreDtTm>2026-11-20T10:00:00+08:00</CreDtTm></GrpHdr>
          <OrgnlGrpInfAndSts><OrgnlMsgId>SWYMSG0001</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
            <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn><AddtlInf>schema error</AddtlInf></StsRsnInf></OrgnlGrpInfAndSts>
        </FIToFIPmtStsRpt></Document>
        """
        #expect(try Fixtures.schemas.validate(Data(text.utf8), as: .pacs002) == nil)
        guard case .statusReport(let report) = try InboundMessage(parsing: Data(text.utf8)) else { Issue.record("not a report"); return }
        #expect(report.transactions.first?.status == .rejected)
        #expect(report.transactions.first?.reasons.first?.code == "FF01")
    }

    @Test("ACCC charges give the credited amount")
    func creditedAmount() throws {
        let data = try Self.report(.acceptedCreditSettlementCompleted,
                                   charges: [AgentCharge(amount: try .fiat("15.00", .usd), agent: try BIC("SWYNUS33")),
                                             AgentCharge(amount: try .fiat("15.00", .usd), agent: try BIC("SWYEHKHH"))],
                                   settled: try .fiat("100000.00", .usd))
        #expect(try Fixtures.schemas.validate(data, as: .pacs002) == nil)
        guard case .statusReport(let report) = try InboundMessage(parsing: data) else { Issue.record("not a report"); return }
        #expect(report.transactions.first?.creditedAmount == (try .fiat("99970.00", .usd)))
    }

    @Test("a pacs.004 validates and reads back with its reason and amount")
    func paymentReturn() throws {
        let returned = PaymentReturn(
            messageID: "RTN1", createdAt: Date(timeIntervalSince1970: 1_795_000_000), returnID: "RTR1", originalMessageID: "SWYMSG0001",
            originalEndToEndID: "INV-1", originalUETR: Self.uetr, originalSettlementAmount: try .fiat("100000.00", .usd),
            returnedAmount: try .fiat("99985.00", .usd), settlementDate: LocalDate(year: 2026, month: 11, day: 20),
            charges: [AgentCharge(amount: try .fiat("15.00", .usd), agent: try BIC("SWYEHKHH"))],
            instructingAgent: try BIC("SWYSUS33"), instructedAgent: try BIC("SWYAUS33"),
            reasons: [StatusReason(code: "AC04", additionalInformation: ["account closed"])])
        let data = Data(try returned.document(timeZone: TimeZone(identifier: "America/New_York")!).document().utf8)
        #expect(try Fixtures.schemas.validate(data, as: .pacs004) == nil)
        guard case .paymentReturn(let parsed) = try InboundMessage(parsing: data) else { Issue.record("not a return"); return }
        #expect(parsed.originalUETR == Self.uetr)
        #expect(parsed.returnedAmount == (try .fiat("99985.00", .usd)))
        #expect(parsed.reasons.first?.code == "AC04")
        #expect(parsed.reasons.first?.meaning == "ClosedAccountNumber")
    }
}

@Suite("SWIFT character set")
struct SWIFTTextTests {
    @Test("accents and typographic marks are transliterated; XML specials are escaped, not dropped")
    func transliteration() throws {
        #expect(try SWIFTText.sanitize("Müller & Söhne GmbH", field: "name", maxLength: 140) == "Muller & Sohne GmbH")
        #expect(try SWIFTText.sanitize("Straße  Łódź – “Ærø”", field: "name", maxLength: 140) == "Strasse Lodz - \"AEro\"")
        #expect(MessageElement("Nm", "A & B <C> \"D\" 'E'").render() == "<Nm>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</Nm>\n")
    }

    @Test("characters without a Latin form are refused with the field and the character")
    func refusal() throws {
        #expect {
            _ = try SWIFTText.sanitize("深圳市供应商有限公司", field: "creditor.name", maxLength: 140)
        } throws: { error in
            guard case ISO20022Error.unrepresentableText(let field, let rule, let detail) = error else { return false }
            return field == "creditor.name" && rule == "cbpr.character_set" && detail.contains("深")
        }
        #expect(throws: ISO20022Error.self) { try SWIFTText.sanitize("Payment 🚀", field: "remittance", maxLength: 140) }
        #expect(throws: ISO20022Error.self) { try SWIFTText.sanitize(String(repeating: "A", count: 141), field: "name", maxLength: 140) }
        #expect(throws: ISO20022Error.self) { try SWIFTText.sanitize("   ", field: "name", maxLength: 140) }
    }

    @Test("property: the printable-ASCII shortcut answers as the character-by-character path on 20,000 random texts")
    func shortcutAgreesWithTransliteration() {
        var random = SeededRandom(seed: 55)
        let pieces = ["A", "z", "0", " ", "  ", "/", "~", "\\", "\"", "é", "ß", "深", "\t", "\r\n", "e\u{301}", "\u{7F}", "\u{00A0}", "🚀", "–"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let maxLength = Int.random(in: 1...14, using: &random)
            let fast = Result { () throws(ISO20022Error) in try SWIFTText.sanitize(text, field: "f", maxLength: maxLength) }
            let slow = Result { () throws(ISO20022Error) in try SWIFTText.transliterate(text, field: "f", maxLength: maxLength) }
            #expect("\(fast)" == "\(slow)", "text \(text.debugDescription), at most \(maxLength)")
        }
    }
}
