import Foundation
import Testing

/// `switchyard rail new`: what it writes and what it refuses. That the written package builds and
/// passes its own conformance test is checked by scripts/check-scaffold.sh (a package build of its
/// own, run by scripts/test.sh after the suites).
@Suite("switchyard rail new")
struct RailScaffoldCommandTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-scaffold-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a rail package: module, settings type and file, host executable, conformance test, depending on this checkout")
    func writesPackage() async throws {
        let into = try Self.folder()
        defer { try? FileManager.default.removeItem(at: into) }
        let made = try await CLI.run(["rail", "new", "acme-pay", "--into", into.path])
        #expect(made.status == 0, "\(made.stderr)")
        let package = into.appendingPathComponent("acme-pay-rail")
        for file in ["Package.swift", "Sources/AcmePayRail/AcmePayRail.swift", "Sources/AcmePayRail/AcmePaySettings.swift",
                     "Sources/AcmePayRailHost/main.swift", "Tests/AcmePayRailTests/AcmePayRailTests.swift", "Config/acme-pay.json", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: package.appendingPathComponent(file).path), "\(file) missing")
        }
        let manifest = try String(contentsOf: package.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".package(path: \"\(CLI.repository.standardizedFileURL.path)\")"), "\(manifest)")
        #expect(manifest.contains(".executable(name: \"acme-pay-rail\""))
        let settings = try JSONSerialization.jsonObject(with: Data(contentsOf: package.appendingPathComponent("Config/acme-pay.json"))) as? [String: Any]
        #expect((settings?["fee"] as? [String: Any])?["source"] as? String != nil, "every figure carries its source")
    }

    @Test("a bad name, an existing folder or a folder that is not Switchyard: exit 2, nothing written")
    func refusals() async throws {
        let into = try Self.folder()
        defer { try? FileManager.default.removeItem(at: into) }
        // Malformed, or naming one of Switchyard's own rail modules.
        for name in ["Acme", "acme_pay", "-acme", "acme-", "a", "acme--pay", "支付", "remote", "cips", "deposit-token"] {
            let refused = try await CLI.run(["rail", "new", name, "--into", into.path])
            #expect(refused.status == 2, "\(name): \(refused.stderr)")
            #expect(refused.stderr.contains("<name>"), "\(refused.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: into.path).isEmpty)

        try FileManager.default.createDirectory(at: into.appendingPathComponent("taken-rail"), withIntermediateDirectories: true)
        let taken = try await CLI.run(["rail", "new", "taken", "--into", into.path])
        #expect(taken.status == 2 && taken.stderr.contains("exists; nothing written"), "\(taken.stderr)")

        let elsewhere = try await CLI.run(["rail", "new", "acme", "--into", into.path, "--switchyard", into.path])
        #expect(elsewhere.status == 2 && elsewhere.stderr.contains("is not a Switchyard checkout"), "\(elsewhere.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: into.path) == ["taken-rail"])
    }
}
