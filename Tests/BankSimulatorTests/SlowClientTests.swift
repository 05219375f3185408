import BankSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SandboxHTTP
import Testing

@Suite("Sandbox servers against a slow client")
struct SlowClientTests {
    @Test("a client dribbling its headers a line a second (never idle long enough for the idle timeout) is cut off after the request read limit")
    func dribbledHeaders() async throws {
        let simulator = try await RunningBankSimulator.start(settings: Sandbox.settings, calendars: Sandbox.calendars, schemaDirectory: Sandbox.schemas,
                                                             clock: ManualClock(Date()), token: "sandbox-token")
        defer { simulator.stop() }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { _ = Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(simulator.url.port!).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        func send(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } > 0
        }
        func closedByServer() -> Bool {
            var byte: UInt8 = 0
            return recv(socket, &byte, 1, Int32(MSG_DONTWAIT)) == 0
        }
        #expect(send("GET /v1/health HTTP/1.1\r\nHost: bank\r\n"))
        let started = ContinuousClock.now
        var closed = false
        while !closed, ContinuousClock.now - started < .seconds(40) {
            try await Task.sleep(for: .seconds(1))
            closed = closedByServer() || !send("X-Slow: 1\r\n")
        }
        let elapsed = ContinuousClock.now - started
        #expect(closed, "the connection was still open after \(elapsed)")
        // The limit is 10 s; the idle timeout (30 s) never fires for a line a second.
        #expect(elapsed >= .seconds(9) && elapsed < .seconds(25), "closed after \(elapsed)")
    }
}
