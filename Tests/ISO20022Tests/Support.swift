import BankSimulator
import Foundation
import ISO20022
import RailKit
import RailKitSupport

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = SchemaValidator(schemaDirectory: root.appendingPathComponent("Tests/Fixtures/iso20022"))

    static func transfer(uetr: UETR = UETR(bytes: Array(repeating: 7, count: 16))) throws -> CustomerCreditTransfer {
        CustomerCreditTransfer(
            messageID: "SWYMSG0001", createdAt: Date(timeIntervalSince1970: 1_795_000_000),
            timeZone: TimeZone(identifier: "America/New_York")!, settlementMethod: .instructedAgent,
            instructingAgent: try BIC("SWYAUS33"), instructedAgent: try BIC("SWYSUS33"),
            instructionID: "INSTR1", endToEndID: "INV-2026-001", transactionID: "TX1", uetr: uetr,
            settlementAmount: try .fiat("100000.00", .usd), settlementDate: LocalDate(year: 2026, month: 11, day: 18),
            chargeBearer: .sha,
            debtor: MessageParty(name: "Acme Imports Inc", address: PostalAddress(streetName: "Main Street", buildingNumber: "1", postCode: "10001", townName: "New York", country: .unitedStates)),
            debtorAccount: .other("000123456789"), debtorAgent: try BIC("SWYAUS33"),
            creditorAgent: try BIC("SWYEHKHH"),
            creditor: MessageParty(name: "Harbour Supplies Limited", address: PostalAddress(townName: "Hong Kong", country: try CountryCode("HK"))),
            creditorAccount: .other("012345678901"), purpose: "GDDS", remittanceInformation: "Invoice 2026-001")
    }
}
