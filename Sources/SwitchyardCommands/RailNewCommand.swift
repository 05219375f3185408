import ArgumentParser
import Foundation

/// `switchyard rail new <name>`: a working rail package to start a new rail from.
struct RailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rail", abstract: "Start a new rail adapter.", subcommands: [New.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a rail package: module, settings type and file, host executable, conformance test.",
            discussion: """
                Writes <into>/<name>-rail, a Swift package depending on Switchyard's RailKit, RailKitSupport,
                RailHost and RailKitTesting. It builds and passes its conformance test as made:
                  cd <name>-rail && swift test
                  <NAME>_RAIL_TOKEN=secret swift run <name>-rail Config/<name>.json 8700
                then a router adds it by URL and token (a `remote` rail). Nothing is written if the
                folder exists or the name is not valid (exit 2).
                """)

        @Argument(help: ArgumentHelp("The rail's name: lower-case letters, digits and hyphens (acme-pay).", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Where to create the package folder.", valueName: "dir"))
        var into = "."

        @Option(help: ArgumentHelp("Switchyard for the package to depend on: a checkout's path (default: this directory, if it is one) or a git URL.",
                                   valueName: "path-or-url"))
        var switchyard: String?

        func run() async throws {
            do {
                do { try RailScaffold.validate(name: name) } catch { throw CommandFailure(exitCode: 2, message: error.description) }
                let source = switchyard ?? FileManager.default.currentDirectoryPath
                if !source.contains("://") && !source.hasPrefix("git@") {
                    let manifest = URL(fileURLWithPath: source).appendingPathComponent("Package.swift")
                    guard let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"Switchyard\"") else {
                        throw CommandFailure(exitCode: 2, message: "--switchyard: \(source) is not a Switchyard checkout (no Package.swift naming Switchyard); pass its path or git URL")
                    }
                }
                let scaffold = RailScaffold(name: name, switchyard: source)
                let target = URL(fileURLWithPath: into).appendingPathComponent("\(name)-rail").standardizedFileURL
                let files = FileManager.default
                guard !files.fileExists(atPath: target.path) else {
                    throw CommandFailure(exitCode: 2, message: "\(target.path) exists; nothing written")
                }
                // Written beside the target and moved into place whole: an interrupted run leaves no half package.
                let staging = target.deletingLastPathComponent().appendingPathComponent(".\(name)-rail.\(UUID().uuidString)")
                do {
                    for file in scaffold.files() {
                        let url = staging.appendingPathComponent(file.path)
                        try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try Data(file.contents.utf8).write(to: url)
                    }
                    try files.moveItem(at: staging, to: target)
                } catch {
                    try? files.removeItem(at: staging)
                    throw CommandFailure(exitCode: 1, message: "could not write \(target.path): \(error.localizedDescription)")
                }
                print("created \(target.path)")
                for file in scaffold.files() { print("  \(file.path)") }
                print("next: cd \(target.path) && swift test")
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }
    }
}
