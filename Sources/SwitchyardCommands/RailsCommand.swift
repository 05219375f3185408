import ArgumentParser
import Foundation
import RailKit
import RailKitSupport
import SwitchyardRouter

/// `switchyard rails`: the configured rails and their capabilities.
struct RailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rails", abstract: "List configured rails and their capabilities.")

    @OptionGroup var configuration: ConfigurationOptions

    @Flag(name: .long, help: "Print as JSON.")
    var json = false

    struct Listing: Encodable {
        struct CorridorEntry: Encodable {
            var source: String
            var destination: String
            var creditorCountries: [String]?
            var minimum: Money?
            var maximum: Money?
        }

        var rail: String
        var displayName: String
        var enabled: Bool
        var note: String?
        var kind: String?
        var canExecute: Bool?
        var supportsFixedReceive: Bool?
        var operatingHours: String?
        var quoteValiditySeconds: Int?
        var assets: [String]?
        var corridors: [CorridorEntry]?
    }

    func run() async throws {
        do {
            let loaded = try configuration.load()
            let listings = loaded.rails.map(Self.listing)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(listings), as: UTF8.self))
                return
            }
            for listing in listings {
                print("\(listing.rail)  \(listing.kind ?? "-")  \(listing.enabled ? "enabled" : "disabled")  \(listing.displayName)")
                if let note = listing.note { print("    note: \(note)") }
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

    static func listing(_ rail: RoutedRail) -> Listing {
        guard let adapter = rail.adapter else {
            return Listing(rail: rail.id.rawValue, displayName: rail.displayName, enabled: false, note: rail.note)
        }
        let capabilities = adapter.descriptor.capabilities
        let hours: String
        switch capabilities.operatingHours {
        case .continuous: hours = "24/7"
        case .businessDays(let calendar, let cutOff): hours = "\(calendar) business days, cut-off \(cutOff)"
        }
        return Listing(
            rail: rail.id.rawValue, displayName: rail.displayName, enabled: rail.enabled, note: rail.note,
            kind: capabilities.kind.rawValue, canExecute: capabilities.canExecute, supportsFixedReceive: capabilities.supportsFixedReceive,
            operatingHours: hours, quoteValiditySeconds: capabilities.quoteValiditySeconds, assets: capabilities.assets.map(\.code),
            corridors: capabilities.corridors.map {
                Listing.CorridorEntry(source: $0.source.code, destination: $0.destination.code,
                                      creditorCountries: $0.creditorCountries?.map(\.code), minimum: $0.minimum, maximum: $0.maximum)
            })
    }
}
