import Foundation
import RailKit
import RemoteRail
import SwitchyardRouter

/// A configured rail and what it can do: what `switchyard rails --json` prints and `GET /v1/rails` lists.
public struct RailListing: Encodable, Sendable {
    public struct Corridor: Encodable, Sendable {
        public var source: String
        public var destination: String
        public var creditorCountries: [String]?
        public var minimum: Money?
        public var maximum: Money?
    }

    public var rail: String
    public var displayName: String
    public var enabled: Bool
    public var note: String?
    public var kind: String?
    public var canExecute: Bool?
    /// Why the rail only quotes here, when it does.
    public var quoteOnlyReason: String?
    public var supportsFixedReceive: Bool?
    public var operatingHours: String?
    public var quoteValiditySeconds: Int?
    /// For a rail in another process: the protocol version it answered with at start.
    public var protocolVersion: String?
    public var assets: [String]?
    public var corridors: [Corridor]?

    public init(_ rail: RoutedRail) {
        self.rail = rail.id.rawValue
        displayName = rail.displayName
        note = rail.note
        guard let adapter = rail.adapter else {
            enabled = false
            return
        }
        enabled = rail.enabled
        let capabilities = adapter.descriptor.capabilities
        switch capabilities.operatingHours {
        case .continuous: operatingHours = "24/7"
        case .businessDays(let calendar, let cutOff): operatingHours = "\(calendar) business days, cut-off \(cutOff)"
        }
        kind = capabilities.kind.rawValue
        canExecute = capabilities.canExecute
        quoteOnlyReason = capabilities.quoteOnlyReason
        supportsFixedReceive = capabilities.supportsFixedReceive
        quoteValiditySeconds = capabilities.quoteValiditySeconds
        protocolVersion = (adapter as? RemoteRail)?.protocolVersion
        assets = capabilities.assets.map(\.code)
        corridors = capabilities.corridors.map {
            Corridor(source: $0.source.code, destination: $0.destination.code, creditorCountries: $0.creditorCountries?.map(\.code),
                     minimum: $0.minimum, maximum: $0.maximum)
        }
    }
}
