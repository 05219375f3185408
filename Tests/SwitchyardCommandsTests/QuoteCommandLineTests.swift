import ArgumentParser
import Foundation
import RailKitTesting
import Testing
@testable import SwitchyardCommands

/// `switchyard quote`'s own reading of its command line gives what ArgumentParser gives, or leaves it to ArgumentParser.
@Suite("Quote command line read without ArgumentParser")
struct QuoteCommandLineTests {
    /// Every value of a parsed quote command, as text, to compare two readings.
    static func values(_ command: QuoteCommand) -> [String] {
        let payment = command.payment
        let optionals: [String?] = [
            command.configuration.config, command.configuration.overlay, command.request, command.now, command.store.dataDirectory,
            payment.amount, payment.from, payment.to, payment.fixed, payment.creditorCountry, payment.creditorName, payment.creditorKind,
            payment.creditorBic, payment.creditorAccount, payment.creditorWallet, payment.debtorCountry, payment.debtorName, payment.debtorKind,
            payment.debtorWallet, payment.objective, payment.timeValueRate, payment.deadline, payment.chargeBearer, payment.reference,
        ]
        return optionals.map { $0.map { "\"\($0)\"" } ?? "nil" }
            + ["\(command.configuration.verbose)", "\(command.json)", "\(command.save)", "\(payment.rails)", "\(payment.excludedRails)"]
    }

    /// The options, flags and groups of `command` left as ArgumentParser's definitions (never
    /// given a value; reading one stops the process), found by reflection: each property wrapper
    /// holds `_parsedValue`, `.value(...)` once set and `.definition(...)` before.
    static func unset(_ command: QuoteCommand) -> [String] {
        var unset = [String]()
        func visit(_ subject: Any, _ path: String) {
            for child in Mirror(reflecting: subject).children {
                let label = child.label ?? "?"
                if label == "_parsedValue", String(describing: child.value).hasPrefix("definition") {
                    unset.append(path)
                    continue
                }
                visit(child.value, path + "." + label)
            }
        }
        visit(command, "")
        return unset
    }

    @Test("the options and flags it reads are exactly the quote command's, as ArgumentParser describes them")
    func sameNames() throws {
        let help = try #require(try JSONSerialization.jsonObject(with: Data(QuoteCommand._dumpHelp().utf8)) as? [String: Any])
        let command = try #require(help["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        var options = Set<String>(), repeatable = Set<String>(), flags = Set<String>()
        for argument in arguments {
            let names = (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }.compactMap { $0["name"] as? String }
            #expect(names.count == 1, "one long name each: \(argument)")
            guard let name = names.first, name != "help" else { continue }
            // Read as `--name value` or `--name=value`; another strategy (`.remaining`, say) would read other words.
            #expect(argument["parsingStrategy"] as? String == "default", "\(name) is read with another strategy: \(argument)")
            switch (argument["kind"] as? String, argument["isRepeating"] as? Bool ?? false) {
            case ("option", false): options.insert(name)
            case ("option", true): repeatable.insert(name)
            case ("flag", _): flags.insert(name)
            default: Issue.record("an argument of another kind: \(argument)")
            }
        }
        #expect(options == QuoteCommandLine.options)
        #expect(repeatable == QuoteCommandLine.repeatableOptions)
        #expect(flags == QuoteCommandLine.flags)
    }

    @Test("a command line it reads, ArgumentParser reads alike; what it declines is left to ArgumentParser", arguments: 0..<4)
    func sameAsArgumentParser(round: Int) throws {
        let seed = UInt64(Date().timeIntervalSince1970 * 1000) &+ UInt64(round) &* 7919
        var random = SeededRandom(seed: seed)
        let names = QuoteCommandLine.options.sorted() + QuoteCommandLine.repeatableOptions.sorted()
        let values = ["USD", "1000.00", "", "a b", "x=y", "-", "-1", "--", "--json", "é", "Config", "/tmp/x y", "quote"]
        let stray = ["--help", "-h", "help", "--", "-v", "--jsn", "--config-x", "--=x", "positional", "--json=true", "---json", "--generate-completion-script", "--version"]
        var read = 0, declined = 0
        for _ in 0..<800 {
            var arguments = ["quote"]
            for _ in 0..<Int.random(in: 0...7, using: &random) {
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    let name = names.randomElement(using: &random)!, value = values.randomElement(using: &random)!
                    if Bool.random(using: &random) { arguments += ["--\(name)", value] } else { arguments.append("--\(name)=\(value)") }
                case 5..<8: arguments.append("--" + QuoteCommandLine.flags.sorted().randomElement(using: &random)!)
                case 8: arguments.append("--" + names.randomElement(using: &random)!)
                default: arguments.append(stray.randomElement(using: &random)!)
                }
            }
            guard let fast = QuoteCommandLine.parse(arguments) else {
                declined += 1
                continue
            }
            read += 1
            let parsed: QuoteCommand
            do {
                parsed = try #require(try SwitchyardCommand.parseAsRoot(arguments) as? QuoteCommand)
            } catch {
                Issue.record("read \(arguments) (seed \(seed)), which ArgumentParser refuses: \(error)")
                continue
            }
            #expect(Self.values(fast) == Self.values(parsed), "\(arguments) (seed \(seed))")
            #expect(Self.unset(fast).isEmpty, "left unset: \(Self.unset(fast)) for \(arguments)")
        }
        // Both paths were taken often enough to mean something.
        #expect(read > 80 && declined > 80, "read \(read), declined \(declined) (seed \(seed))")
    }

    @Test("the usual spellings are read; help, a short flag, a value like a flag, a repeat and an unknown name are declined")
    func cases() throws {
        let sample = ["quote", "--json", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--now=2026-11-20T15:00:00Z", "--overlay", "Sandbox/sample-config",
                      "--rail", "a", "--rail=b", "--exclude-rail", "c"]
        let command = try #require(QuoteCommandLine.parse(sample))
        #expect(command.json && command.request == "Config/samples/hk-supplier-usd-cnh.json" && command.now == "2026-11-20T15:00:00Z")
        #expect(command.configuration.overlay == "Sandbox/sample-config" && command.configuration.config == nil && !command.configuration.verbose)
        #expect(command.payment.rails == ["a", "b"] && command.payment.excludedRails == ["c"] && command.payment.amount == nil)
        let bare = try #require(QuoteCommandLine.parse(["quote"]))
        #expect(Self.unset(bare).isEmpty, "\(Self.unset(bare))")
        // The check above can fail: a command made without values is all definitions.
        #expect(Self.unset(QuoteCommand()).count >= 6)
        #expect(QuoteCommandLine.parse(["quote", "--request", "-"])?.request == "-")
        for declined in [["quote", "--help"], ["quote", "-h"], ["quote", "--json", "--json"], ["quote", "--now", "a", "--now", "b"],
                         ["quote", "--amount", "-5"], ["quote", "--amount"], ["quote", "--json=1"], ["quote", "--", "--json"],
                         ["quote", "--unknown"], ["quote", "extra"], ["pay", "--json"], []] {
            #expect(QuoteCommandLine.parse(declined) == nil, "\(declined)")
        }
    }
}
