/// A currency pair a rail can carry, with its amount limits in the source currency.
public struct Corridor: Sendable, Hashable, Codable {
    public var source: Currency
    public var destination: Currency
    /// Creditor countries served; nil means any.
    public var creditorCountries: [CountryCode]?
    /// Smallest principal accepted, in the source currency.
    public var minimum: Money?
    /// Largest principal accepted, in the source currency.
    public var maximum: Money?

    public init(source: Currency, destination: Currency, creditorCountries: [CountryCode]? = nil,
                minimum: Money? = nil, maximum: Money? = nil) {
        self.source = source
        self.destination = destination
        self.creditorCountries = creditorCountries
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether this corridor carries `source` → `destination` to `creditorCountry`.
    public func serves(source: Currency, destination: Currency, creditorCountry: CountryCode) -> Bool {
        self.source == source && self.destination == destination
            && (creditorCountries?.contains(creditorCountry) ?? true)
    }
}

/// When a rail accepts and moves payments.
public enum OperatingHours: Sendable, Hashable {
    /// 24/7 (chains).
    case continuous
    /// Business days of a calendar, with a daily cut-off for same-day processing.
    case businessDays(calendarID: String, cutOff: LocalTime)
}

extension OperatingHours: Codable {
    private enum CodingKeys: String, CodingKey { case kind, calendarID, cutOff }

    /// `{"kind": "continuous"}` or `{"kind": "business_days", "calendarID": "HK", "cutOff": "17:00"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .continuous:
            try container.encode("continuous", forKey: .kind)
        case .businessDays(let calendarID, let cutOff):
            try container.encode("business_days", forKey: .kind)
            try container.encode(calendarID, forKey: .calendarID)
            try container.encode(cutOff, forKey: .cutOff)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "continuous": self = .continuous
        case "business_days":
            self = .businessDays(calendarID: try container.decode(String.self, forKey: .calendarID),
                                 cutOff: try container.decode(LocalTime.self, forKey: .cutOff))
        case let other:
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.kind]), value: other,
                                  rule: "operating_hours.kind", message: "continuous or business_days")
        }
    }
}

/// What a rail can do, as data the router and the conformance kit read.
public struct RailCapabilities: Sendable, Hashable, Codable {
    public var kind: RailKind
    public var corridors: [Corridor]
    /// Assets moved on the rail besides fiat (the token, the gas coin).
    public var assets: [Asset]
    public var operatingHours: OperatingHours
    /// Whether fixed-receive amounts can be quoted.
    public var supportsFixedReceive: Bool
    /// Why this instance only quotes (its execution settings are missing, say), or nil when
    /// ``RailAdapter/execute(_:recorder:)`` and ``RailAdapter/status(of:at:)`` work. When set,
    /// they throw ``RailError/unsupported(operation:rail:)`` and the router never calls them.
    public var quoteOnlyReason: String?
    /// Whether the rail executes (``quoteOnlyReason`` is nil).
    public var canExecute: Bool { quoteOnlyReason == nil }
    /// How long a quote stays valid.
    public var quoteValiditySeconds: Int
    /// Whether ``RailAdapter/quote(_:)`` calls a counterpart (a node, a dealer). The router quotes
    /// a rail that does not (it prices from its configuration alone) inline, without a task or a
    /// timer of its own; one that does runs concurrently under the quote time limit. When in
    /// doubt, true.
    public var quoteCallsCounterpart: Bool

    public init(kind: RailKind, corridors: [Corridor], assets: [Asset] = [], operatingHours: OperatingHours,
                supportsFixedReceive: Bool, quoteOnlyReason: String?, quoteValiditySeconds: Int, quoteCallsCounterpart: Bool = true) {
        self.kind = kind
        self.corridors = corridors
        self.assets = assets
        self.operatingHours = operatingHours
        self.supportsFixedReceive = supportsFixedReceive
        self.quoteOnlyReason = quoteOnlyReason
        self.quoteValiditySeconds = quoteValiditySeconds
        self.quoteCallsCounterpart = quoteCallsCounterpart
    }

    private enum CodingKeys: String, CodingKey {
        case kind, corridors, assets, operatingHours, supportsFixedReceive, quoteOnlyReason, quoteValiditySeconds, quoteCallsCounterpart
    }

    /// Reads what ``encode(to:)`` writes; JSON written before `quoteCallsCounterpart` existed reads as true.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try container.decode(RailKind.self, forKey: .kind), corridors: try container.decode([Corridor].self, forKey: .corridors),
                  assets: try container.decode([Asset].self, forKey: .assets),
                  operatingHours: try container.decode(OperatingHours.self, forKey: .operatingHours),
                  supportsFixedReceive: try container.decode(Bool.self, forKey: .supportsFixedReceive),
                  quoteOnlyReason: try container.decodeIfPresent(String.self, forKey: .quoteOnlyReason),
                  quoteValiditySeconds: try container.decode(Int.self, forKey: .quoteValiditySeconds),
                  quoteCallsCounterpart: try container.decodeIfPresent(Bool.self, forKey: .quoteCallsCounterpart) ?? true)
    }

    /// The corridor serving this route, if any.
    public func corridor(source: Currency, destination: Currency, creditorCountry: CountryCode) -> Corridor? {
        corridors.first { $0.serves(source: source, destination: destination, creditorCountry: creditorCountry) }
    }
}

/// A configured rail's identity and capabilities.
public struct RailDescriptor: Sendable, Hashable, Codable {
    public var id: RailID
    /// A name for people, e.g. "JPMD deposit token on Base".
    public var displayName: String
    public var capabilities: RailCapabilities

    public init(id: RailID, displayName: String, capabilities: RailCapabilities) {
        self.id = id
        self.displayName = displayName
        self.capabilities = capabilities
    }
}
