#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import BankSimulator
import Foundation
import ISO20022
import RailKit
import RailKitSupport
import Testing

@Suite("Bank simulator: validation and rejections")
struct SimulatorValidationTests {
    func answer(_ transfer: CustomerCreditTransfer) async throws -> TransactionStatus {
        let (bank, _) = try Sandbox.bank(at: "2026-11-18T15:00:00Z")
        return try Sandbox.status(try await bank.receive(try transfer.xml()))
    }

    @Test("each check rejects with its ISO reason code")
    func rejections() async throws {
        #expect(try await answer(try Sandbox.transfer(creditorName: "Blocked Trading Company Limited", seed: 1)).reasons.first?.code == "RR04")
        #expect(try await answer(try Sandbox.transfer(currency: .eur, seed: 2)).reasons.first?.code == "AM03")
        // ISO's CNY to a mainland bank is onshore yuan, which this Hong Kong bank does not clear;
        // CNY to a Hong Kong bank is offshore yuan, which it does (as CNH).
        var onshore = try Sandbox.transfer(currency: .cny, seed: 12)
        onshore.creditorAgent = try BIC("SWYDCNSH")
        #expect(try await answer(onshore).reasons.first?.code == "AM03")
        #expect(try await answer(try Sandbox.transfer(currency: .cny, seed: 13)).status != .rejected)
        #expect(try await answer(try Sandbox.transfer(amount: "60000000.00", seed: 3)).reasons.first?.code == "AM02")
        var wrongBank = try Sandbox.transfer(seed: 4)
        wrongBank.instructedAgent = try BIC("SWYNUS33")
        let rejected = try await answer(wrongBank)
        #expect(rejected.status == .rejected)
        #expect(rejected.reasons.first?.code == "RC01")
    }

    @Test("an IBAN with a wrong check digit is rejected AC01")
    func badIBAN() async throws {
        let (bank, _) = try Sandbox.bank(at: "2026-11-18T15:00:00Z")
        // Valid for the XSD's IBAN pattern, wrong for ISO 13616's mod-97 check.
        let text = String(decoding: try Sandbox.transfer(seed: 12).xml(), as: UTF8.self)
            .replacingOccurrences(of: "<CdtrAcct>[\\s\\S]*?</CdtrAcct>", with: "<CdtrAcct><Id><IBAN>DE89370400440532013001</IBAN></Id></CdtrAcct>",
                                  options: .regularExpression)
        #expect(text.contains("DE89370400440532013001"))
        let status = try Sandbox.status(try await bank.receive(Data(text.utf8)))
        #expect(status.status == .rejected)
        #expect(status.reasons.first?.code == "AC01")
    }

    @Test("a document failing the XSD is rejected FF01 with the schema's complaint")
    func schemaFailure() async throws {
        let (bank, _) = try Sandbox.bank(at: "2026-11-18T15:00:00Z")
        let text = String(decoding: try Sandbox.transfer(seed: 5).xml(), as: UTF8.self).replacingOccurrences(of: "<ChrgBr>SHAR</ChrgBr>", with: "<ChrgBr>XXXX</ChrgBr>")
        let status = try Sandbox.status(try await bank.receive(Data(text.utf8)))
        #expect(status.status == .rejected)
        #expect(status.reasons.first?.code == "FF01")
        #expect(status.reasons.first?.additionalInformation.joined().contains("ChrgBr") == true)
        // The UETR is echoed, so the sender can match the rejection.
        #expect(status.originalUETR == UETR(bytes: Array(repeating: 5, count: 16)))
    }

    @Test("a resend of the same UETR is answered with its status, never booked twice; a reused message id is AM05")
    func duplicates() async throws {
        let (bank, clock) = try Sandbox.bank(at: "2026-11-18T15:00:00Z")
        let transfer = try Sandbox.transfer(seed: 6)
        #expect(try Sandbox.status(try await bank.receive(try transfer.xml())).status == .acceptedTechnicalValidation)
        clock.advance(by: 3600)
        #expect(try Sandbox.status(try await bank.receive(try transfer.xml())).status == .acceptedSettlementCompleted)
        var reused = try Sandbox.transfer(seed: 7)
        reused.messageID = transfer.messageID
        #expect(try Sandbox.status(try await bank.receive(try reused.xml())).reasons.first?.code == "AM05")
    }

    @Test("every message the simulator sends passes its XSD")
    func outboundMessagesValidate() async throws {
        let (bank, clock) = try Sandbox.bank(at: "2026-11-18T15:00:00Z")
        let validator = SchemaValidator(schemaDirectory: Sandbox.schemas)
        let credited = try Sandbox.transfer(seed: 8), closed = try Sandbox.transfer(creditorAccount: "999000111222", seed: 10)
        for transfer in [credited, closed] { _ = try await bank.receive(try transfer.xml()) }
        clock.advance(by: 86_400)
        let accc = try #require(try await bank.latestMessage(for: credited.uetr))
        let pacs004 = try #require(try await bank.latestMessage(for: closed.uetr))
        #expect(try validator.validate(accc, as: .pacs002) == nil)
        #expect(try validator.validate(pacs004, as: .pacs004) == nil)
        guard case .paymentReturn(let returned) = try InboundMessage(parsing: pacs004) else { Issue.record("expected a pacs.004"); return }
        #expect(returned.reasons.first?.code == "AC04")
    }

    @Test("the validator honours xmllint: a malformed document fails (no verdict is not a pass), a schema that does not compile throws")
    func validatorHonoursXmllint() throws {
        let validator = SchemaValidator(schemaDirectory: Sandbox.schemas)
        let good = try Sandbox.transfer(seed: 11).xml()
        let results = try validator.validate([good, Data("<Document><unclosed></Document>".utf8), Data("not xml at all".utf8)], as: .pacs008)
        #expect(results[0] == nil, "\(results)")
        #expect(results[1] != nil && results[2] != nil, "a malformed document passed: \(results)")

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-broken-xsd-\(UUID())")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: broken) }
        try Data("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"D\" type=\"NoSuchType\"/></xs:schema>".utf8)
            .write(to: broken.appendingPathComponent("pacs.008.001.08.xsd"))
        #expect(throws: SchemaValidatorError.self) { try SchemaValidator(schemaDirectory: broken).validate(good, as: .pacs008) }
    }
}

@Suite("Bank simulator over HTTP")
struct SimulatorHTTPTests {
    @Test("requests without the bearer token are refused with a problem body; an unknown UETR is a 404 with one too")
    func authentication() async throws {
        let simulator = try await RunningBankSimulator.start(settings: Sandbox.settings, calendars: Sandbox.calendars, schemaDirectory: Sandbox.schemas,
                                                             clock: ManualClock(Date()), token: "sandbox-token")
        defer { simulator.stop() }
        var request = URLRequest(url: simulator.url.appendingPathComponent("v1/payments"))
        request.httpMethod = "POST"
        request.httpBody = try Sandbox.transfer(seed: 11).xml()
        let (problem, refused) = try await URLSession.shared.data(for: request)
        #expect((refused as? HTTPURLResponse)?.statusCode == 401)
        #expect((refused as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")
        #expect((try JSONSerialization.jsonObject(with: problem) as? [String: Any])?["status"] as? Int == 401)
        request.setValue("Bearer sandbox-token", forHTTPHeaderField: "Authorization")
        let (body, accepted) = try await URLSession.shared.data(for: request)
        #expect((accepted as? HTTPURLResponse)?.statusCode == 200)
        #expect(try Sandbox.status(body).status == .acceptedTechnicalValidation)
        var unknown = URLRequest(url: simulator.url.appendingPathComponent("v1/payments/\(UUID().uuidString.lowercased())"))
        unknown.setValue("Bearer sandbox-token", forHTTPHeaderField: "Authorization")
        let (missing, notFound) = try await URLSession.shared.data(for: unknown)
        #expect((notFound as? HTTPURLResponse)?.statusCode == 404)
        #expect((try JSONSerialization.jsonObject(with: missing) as? [String: Any])?["detail"] as? String == "no payment with this UETR")
        // A path no route takes: a problem body too, not an empty 404.
        let (nowhere, unrouted) = try await URLSession.shared.data(for: URLRequest(url: simulator.url.appendingPathComponent("v1/nowhere")))
        #expect((unrouted as? HTTPURLResponse)?.statusCode == 404)
        #expect((try JSONSerialization.jsonObject(with: nowhere) as? [String: Any])?["status"] as? Int == 404)
    }
}

@Suite("Bank simulator: its own configuration")
struct SimulatorConfigurationTests {
    @Test("a broken settings file, an unknown calendar or a missing schema folder is refused at start with the field")
    func badConfiguration() throws {
        var settings = Sandbox.settings
        settings.currencies[0].credit.calendar = "ZZ"
        #expect {
            _ = try SimulatedBank(settings: settings, calendars: Sandbox.calendars, validator: nil, clock: ManualClock(Date()))
        } throws: { error in
            (error as? ValidationError)?.field == "currencies[0].credit.calendar"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bank-simulator-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try String(contentsOf: Sandbox.root.appendingPathComponent("Sandbox/config/bank-simulator.json"), encoding: .utf8)
            .replacingOccurrences(of: #""cutOff": "17:00""#, with: #""cutOff": "5pm""#)
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try BankSimulatorSettings.load(from: file)
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("cutOff")
        }
        #expect(throws: SchemaValidatorError.self) {
            try SchemaValidator(schemaDirectory: URL(fileURLWithPath: "/nonexistent")).checkInstalled()
        }
        try SchemaValidator(schemaDirectory: Sandbox.schemas).checkInstalled()
    }
}
