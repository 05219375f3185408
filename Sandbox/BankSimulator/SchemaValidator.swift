import Foundation
import ISO20022

/// Validates ISO 20022 documents against the official XSDs with `xmllint` (Debian libxml2-utils,
/// installed by `scripts/setup.sh`): an independent implementation, not our own reading of the schema.
public struct SchemaValidator: Sendable {
    /// The folder holding `pacs.008.001.08.xsd` and friends (`Tests/Fixtures/iso20022`).
    public var schemaDirectory: URL
    public var xmllint: String

    public init(schemaDirectory: URL, xmllint: String = "/usr/bin/xmllint") {
        self.schemaDirectory = schemaDirectory
        self.xmllint = xmllint
    }

    /// Fails at start-up, rather than on the first message, when a schema or xmllint is missing.
    public func checkInstalled() throws {
        for type in MessageType.allCases where !FileManager.default.fileExists(atPath: schema(type).path) {
            throw SchemaValidatorError.schemaMissing(schema(type).path)
        }
        guard FileManager.default.isExecutableFile(atPath: xmllint) else { throw SchemaValidatorError.xmllintMissing(xmllint) }
    }

    private func schema(_ type: MessageType) -> URL { schemaDirectory.appendingPathComponent("\(type.rawValue).xsd") }

    /// The outcome of validating one document: nil when valid, otherwise xmllint's messages.
    public func validate(_ document: Data, as type: MessageType) throws -> String? {
        try validate([document], as: type)[0]
    }

    /// Validates several documents of one type in one xmllint run; one result per document, in order.
    public func validate(_ documents: [Data], as type: MessageType) throws -> [String?] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = [URL]()
        for (index, document) in documents.enumerated() {
            let file = folder.appendingPathComponent("doc\(index).xml")
            try document.write(to: file)
            files.append(file)
        }
        let schemaFile = schema(type)
        guard FileManager.default.fileExists(atPath: schemaFile.path) else {
            throw SchemaValidatorError.schemaMissing(schemaFile.path)
        }
        // xmllint's messages go into a file, not a pipe: a signal from another child process
        // ending can interrupt a pipe read, which Foundation turns into a trap.
        let errorsFile = folder.appendingPathComponent("xmllint.err")
        let terminationStatus = try runXmllint(["--noout", "--nonet", "--schema", schemaFile.path] + files.map(\.path), errorsTo: errorsFile.path)
        let output = try String(contentsOf: errorsFile, encoding: .utf8)
        // xmllint's exit status first: 5 is a schema that did not compile, which validates nothing.
        if terminationStatus == 5 || output.contains("failed to compile") {
            throw SchemaValidatorError.schemaInvalid(schemaFile.path, String(output.prefix(2000)))
        }
        // Then each document: valid only when xmllint says "<file> validates". A document that
        // does not parse gets parser errors and no verdict line: that is a failure, not a pass.
        let results: [String?] = files.map { file in
            let lines = output.split(separator: "\n").filter { $0.hasPrefix(file.path) }
            if lines.contains(where: { $0 == "\(file.path) validates" }) { return nil }
            let detail = lines.filter { !$0.hasSuffix("fails to validate") }.map { $0.replacingOccurrences(of: file.path, with: "line") }
            return detail.isEmpty ? "xmllint gave no verdict (exit \(terminationStatus))" : detail.joined(separator: "\n")
        }
        if terminationStatus == 0, results.contains(where: { $0 != nil }) {
            throw SchemaValidatorError.schemaInvalid(schemaFile.path, "xmllint exited 0 without validating every document: \(output.prefix(2000))")
        }
        if terminationStatus != 0, results.allSatisfy({ $0 == nil }) {
            throw SchemaValidatorError.schemaInvalid(schemaFile.path, "xmllint exited \(terminationStatus) yet said every document validates")
        }
        return results
    }

    /// Runs xmllint to its end; its exit status (the signal's number if a signal ended it).
    ///
    /// `posix_spawn` and `waitpid` rather than Foundation's `Process`: `waitUntilExit()` learns of
    /// an exit when the child's end of a socket pair closes, and a child started elsewhere in the
    /// process at the same moment (a test's dev chain) can inherit that end and hold it open, so
    /// the wait never returns. A CI run hung that way on a `psql`.
    private func runXmllint(_ arguments: [String], errorsTo errorsPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([xmllint] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, xmllint, &actions, nil, argv, environ) == 0 else { throw SchemaValidatorError.xmllintMissing(xmllint) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw SchemaValidatorError.xmllintFailed(xmllint, "waiting for it failed with errno \(errno)") }
        }
        // Exited: the code in bits 8-15; killed: the signal in bits 0-6.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
    }
}

public enum SchemaValidatorError: Error, CustomStringConvertible {
    case schemaMissing(String)
    case xmllintMissing(String)
    /// xmllint started, but its end could not be waited for.
    case xmllintFailed(String, String)
    /// The schema did not compile, or xmllint's verdicts contradict its exit status.
    case schemaInvalid(String, String)

    public var description: String {
        switch self {
        case .schemaInvalid(let path, let detail): "XSD \(path) cannot validate: \(detail)"
        case .schemaMissing(let path): "XSD not found at \(path)"
        case .xmllintMissing(let path): "xmllint not found at \(path); run scripts/setup.sh (installs libxml2-utils)"
        case .xmllintFailed(let path, let detail): "xmllint at \(path): \(detail)"
        }
    }
}
