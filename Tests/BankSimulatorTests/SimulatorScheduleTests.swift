import BankSimulator
import Foundation
import ISO20022
import RailKit
import RailKitSupport
import Testing

enum Sandbox {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let settings = try! BankSimulatorSettings.load(from: root.appendingPathComponent("Sandbox/config/bank-simulator.json"))
    static let calendars = try! CalendarFile.loadDirectory(root.appendingPathComponent("Config/calendars"))
    static let schemas = root.appendingPathComponent("Tests/Fixtures/iso20022")

    static func bank(at start: String) throws -> (SimulatedBank, ManualClock) {
        let clock = ManualClock(Timestamp.parse(start)!)
        let bank = try SimulatedBank(settings: settings, calendars: calendars, validator: SchemaValidator(schemaDirectory: schemas), clock: clock)
        return (bank, clock)
    }

    static func transfer(amount: String = "100000.00", currency: Currency = .usd, bearer: ChargeBearer = .sha, creditorName: String = "Harbour Supplies Limited",
                         creditorAccount: String = "012345678901", intermediaries: [String] = [], seed: UInt8) throws -> CustomerCreditTransfer {
        var transfer = CustomerCreditTransfer(
            messageID: "SWYMSG\(seed)", createdAt: Date(), timeZone: TimeZone(identifier: "America/New_York")!, settlementMethod: .instructedAgent,
            instructingAgent: try BIC("SWYAUS33"), instructedAgent: try BIC("SWYSUS33"), instructionID: "I\(seed)", endToEndID: "INV-\(seed)",
            transactionID: "T\(seed)", uetr: UETR(bytes: Array(repeating: seed, count: 16)),
            settlementAmount: try .fiat(amount, currency), settlementDate: LocalDate(year: 2026, month: 11, day: 20), chargeBearer: bearer,
            debtor: MessageParty(name: "Acme Imports Inc"), debtorAccount: .other("000123456789"), debtorAgent: try BIC("SWYAUS33"),
            intermediaries: try intermediaries.map { try BIC($0) }, creditorAgent: try BIC("SWYEHKHH"),
            creditor: MessageParty(name: creditorName), creditorAccount: .other(creditorAccount))
        if bearer == .ben { transfer.charges = [AgentCharge(amount: try .fiat("25.00", .usd), agent: try BIC("SWYAUS33"))] }
        return transfer
    }

    static func status(_ data: Data) throws -> TransactionStatus {
        guard case .statusReport(let report) = try InboundMessage(parsing: data), let status = report.transactions.first else {
            throw NotAStatusReport()
        }
        return status
    }
}

struct NotAStatusReport: Error {}

/// Sends one payment at `received` and reports when each status is first seen, probing the clock.
func milestones(received: String, probes: [String]) async throws -> [String: TransactionStatusCode] {
    let (bank, clock) = try Sandbox.bank(at: received)
    let transfer = try Sandbox.transfer(seed: 9)
    let answer = try Sandbox.status(try await bank.receive(try transfer.xml()))
    #expect(answer.status == .acceptedTechnicalValidation)
    var seen = [String: TransactionStatusCode]()
    for probe in probes {
        clock.set(Timestamp.parse(probe)!)
        seen[probe] = try Sandbox.status(try #require(try await bank.latestMessage(for: transfer.uetr))).status
    }
    return seen
}

@Suite("Bank simulator: the clock follows cut-offs and calendars")
struct SimulatorScheduleTests {
    @Test("a Wednesday payment before the cut-off: ACSP at once, ACSC after a US business hour, ACCC in HK business hours")
    func sameDay() async throws {
        // 10:00 New York: processing starts now; settled 11:00 NY (16:00Z); credited at HK 09:00 + 2 h next day (03:00Z).
        let seen = try await milestones(received: "2026-11-18T15:00:00Z", probes: [
            "2026-11-18T15:00:00Z", "2026-11-18T15:59:59Z", "2026-11-18T16:00:00Z", "2026-11-19T02:59:59Z", "2026-11-19T03:00:00Z"])
        #expect(seen["2026-11-18T15:00:00Z"] == .acceptedSettlementInProcess)
        #expect(seen["2026-11-18T15:59:59Z"] == .acceptedSettlementInProcess)
        #expect(seen["2026-11-18T16:00:00Z"] == .acceptedSettlementCompleted)
        #expect(seen["2026-11-19T02:59:59Z"] == .acceptedSettlementCompleted)
        #expect(seen["2026-11-19T03:00:00Z"] == .acceptedCreditSettlementCompleted)
    }

    @Test("Friday after the cut-off waits for Monday")
    func fridayAfterCutOff() async throws {
        // 17:30 New York on Friday 20 November: nothing happens until Monday 09:00 (14:00Z).
        let seen = try await milestones(received: "2026-11-20T22:30:00Z", probes: ["2026-11-21T12:00:00Z", "2026-11-23T13:59:59Z", "2026-11-23T14:00:00Z", "2026-11-24T03:00:00Z"])
        #expect(seen["2026-11-21T12:00:00Z"] == .acceptedTechnicalValidation)
        #expect(seen["2026-11-23T13:59:59Z"] == .acceptedTechnicalValidation)
        #expect(seen["2026-11-23T14:00:00Z"] == .acceptedSettlementInProcess)
        #expect(seen["2026-11-24T03:00:00Z"] == .acceptedCreditSettlementCompleted)
    }

    @Test("a US holiday (Thanksgiving) is skipped")
    func usHoliday() async throws {
        // Wednesday 25 November after the cut-off; Thursday 26 is Thanksgiving: processing starts Friday 09:00 (14:00Z).
        let seen = try await milestones(received: "2026-11-25T22:30:00Z", probes: ["2026-11-26T16:00:00Z", "2026-11-27T13:59:59Z", "2026-11-27T14:00:00Z"])
        #expect(seen["2026-11-26T16:00:00Z"] == .acceptedTechnicalValidation)
        #expect(seen["2026-11-27T13:59:59Z"] == .acceptedTechnicalValidation)
        #expect(seen["2026-11-27T14:00:00Z"] == .acceptedSettlementInProcess)
    }

    @Test("a HK holiday delays the credit")
    func hongKongHoliday() async throws {
        // Thursday 24 December, 10:00 NY: settled 11:00 NY = 00:00 HKT Friday 25 (Christmas), then the weekend:
        // credited Monday 28 at 09:00 + 2 h HKT (03:00Z), not Friday 11:00 HKT.
        let seen = try await milestones(received: "2026-12-24T15:00:00Z", probes: ["2026-12-25T03:00:00Z", "2026-12-28T02:59:59Z", "2026-12-28T03:00:00Z"])
        #expect(seen["2026-12-25T03:00:00Z"] == .acceptedSettlementCompleted)
        #expect(seen["2026-12-28T02:59:59Z"] == .acceptedSettlementCompleted)
        #expect(seen["2026-12-28T03:00:00Z"] == .acceptedCreditSettlementCompleted)
    }

    @Test("the cut-off follows New York daylight saving time")
    func daylightSaving() async throws {
        // 21:30Z is 17:30 EDT on Friday 30 October (after the cut-off) but 16:30 EST on Monday 2 November (before it).
        let summer = try await milestones(received: "2026-10-30T21:30:00Z", probes: ["2026-10-30T21:30:00Z", "2026-11-02T14:00:00Z"])
        #expect(summer["2026-10-30T21:30:00Z"] == .acceptedTechnicalValidation)
        #expect(summer["2026-11-02T14:00:00Z"] == .acceptedSettlementInProcess)
        let winter = try await milestones(received: "2026-11-02T21:30:00Z", probes: ["2026-11-02T21:30:00Z", "2026-11-02T22:29:59Z", "2026-11-02T22:30:00Z"])
        #expect(winter["2026-11-02T21:30:00Z"] == .acceptedSettlementInProcess)
        #expect(winter["2026-11-02T22:29:59Z"] == .acceptedSettlementInProcess)
        #expect(winter["2026-11-02T22:30:00Z"] == .acceptedSettlementCompleted)
    }
}
