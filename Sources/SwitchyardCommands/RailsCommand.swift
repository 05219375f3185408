import ArgumentParser
import Foundation
import RailKit
import RailKitSupport
import SwitchyardAPI
import SwitchyardRouter

/// `switchyard rails`: the configured rails and their capabilities.
struct RailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rails", abstract: "List configured rails and their capabilities.")

    @OptionGroup var configuration: ConfigurationOptions

    @Flag(name: .long, help: "Print as JSON.")
    var json = false

    func run() async throws {
        do {
            let loaded = try configuration.load()
            let listings = loaded.rails.map(RailListing.init)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(listings), as: UTF8.self))
                return
            }
            for listing in listings {
                print("\(listing.rail)  \(listing.kind ?? "-")  \(listing.enabled ? "enabled" : "disabled")  \(listing.displayName)")
                if let note = listing.note { print("    note: \(note)") }
                if let version = listing.protocolVersion { print("    out of process: remote rail protocol \(version)") }
                guard let corridors = listing.corridors else { continue }
                print("    executes: \(listing.canExecute == true ? "yes" : "not yet (quotes only)"); fixed receive: \(listing.supportsFixedReceive == true ? "yes" : "no"); hours: \(listing.operatingHours ?? "-"); quotes valid \(listing.quoteValiditySeconds ?? 0) s")
                for corridor in corridors {
                    let countries = corridor.creditorCountries.map { " to " + $0.joined(separator: ",") } ?? " to any country"
                    let limits = [corridor.minimum.map { "min \($0)" }, corridor.maximum.map { "max \($0)" }].compactMap { $0 }.joined(separator: ", ")
                    print("    \(corridor.source)→\(corridor.destination)\(countries)\(limits.isEmpty ? "" : " (\(limits))")")
                }
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }
}
