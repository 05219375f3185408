/// A currency pair a rail can carry, with its amount limits in the source currency.
public struct Corridor: Sendable, Hashable {
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

/// What a rail can do, as data the router and the conformance kit read.
public struct RailCapabilities: Sendable, Hashable {
    public var kind: RailKind
    public var corridors: [Corridor]
    /// Assets moved on the rail besides fiat (the token, the gas coin).
    public var assets: [Asset]
    public var operatingHours: OperatingHours
    /// Whether fixed-receive amounts can be quoted.
    public var supportsFixedReceive: Bool
    /// Whether ``RailAdapter/execute(_:)`` and ``RailAdapter/status(of:)`` work. When false they
    /// throw ``RailError/unsupported(operation:rail:)`` and the router never calls them.
    public var canExecute: Bool
    /// How long a quote stays valid.
    public var quoteValiditySeconds: Int

    public init(kind: RailKind, corridors: [Corridor], assets: [Asset] = [], operatingHours: OperatingHours,
                supportsFixedReceive: Bool, canExecute: Bool, quoteValiditySeconds: Int) {
        self.kind = kind
        self.corridors = corridors
        self.assets = assets
        self.operatingHours = operatingHours
        self.supportsFixedReceive = supportsFixedReceive
        self.canExecute = canExecute
        self.quoteValiditySeconds = quoteValiditySeconds
    }

    /// The corridor serving this route, if any.
    public func corridor(source: Currency, destination: Currency, creditorCountry: CountryCode) -> Corridor? {
        corridors.first { $0.serves(source: source, destination: destination, creditorCountry: creditorCountry) }
    }
}

/// A configured rail's identity and capabilities.
public struct RailDescriptor: Sendable, Hashable {
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
