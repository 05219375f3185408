import DevChainTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `switchyard-sandbox bank` as a user runs it: the simulator starts, says where it listens, and
/// answers a pacs.008 with a pacs.002.
@Suite("switchyard-sandbox bank")
struct SandboxBankTests {
    @Test("the simulator starts on a free port and rejects an invalid pacs.008 with FF01")
    func simulatorRuns() async throws {
        let process = Process()
        process.executableURL = CLI.sandboxExecutable
        process.arguments = ["bank", "--port", "0"]
        process.currentDirectoryURL = CLI.repository
        process.environment = CLI.cleanEnvironment.merging(["SWITCHYARD_BANK_SIM_TOKEN": "cli-token"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        // The first line is {"ready": true, "url": …}.
        let line = try await ChildProcess.readLine(from: out.fileHandleForReading)
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let address = try #require(ready["url"] as? String)
        let url = try #require(URL(string: address))
        #expect(ready["bic"] as? String == "SWYSUS33")

        var request = URLRequest(url: url.appendingPathComponent("v1/payments"))
        request.httpMethod = "POST"
        request.setValue("Bearer cli-token", forHTTPHeaderField: "Authorization")
        request.httpBody = Data("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf/></Document>".utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("<TxSts>RJCT</TxSts>") || text.contains("<GrpSts>RJCT</GrpSts>"), "\(text)")
        #expect(text.contains("<Cd>FF01</Cd>"), "\(text)")
    }
}
