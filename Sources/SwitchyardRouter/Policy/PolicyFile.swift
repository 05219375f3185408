import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The JSON form of `Config/compliance/policy.json`.
struct PolicyFile: Decodable {
    var source: String
    var rules: [RuleEntry]
    var walletRegistrations: [Registration]?

    /// A wallet and who it is registered to.
    struct Registration: Decodable {
        var address: EVMAddress
        var holder: String
        var country: CountryCode
        var source: String
    }

    /// One rule as written; fields depend on `type`.
    struct RuleEntry: Decodable {
        struct Threshold: Decodable {
            var threshold: ConfiguredMoney
            var source: String
        }

        struct Jurisdiction: Decodable {
            var name: String
            var countries: [CountryCode]
            var threshold: ConfiguredMoney
            var source: String
        }

        var id: String
        var type: String
        var source: String?
        var railKinds: [RailKind]?
        var rails: [RailID]?
        var parties: [PartyRole]?
        var countries: [CountryCode]?
        var reasonCode: ReasonCode?
        var message: String?
        var `default`: Threshold?
        var jurisdictions: [Jurisdiction]?
        var licensedRails: [RailID]?
        var minimum: ConfiguredMoney?
        var maximum: ConfiguredMoney?
        var names: [String]?
        var bics: [String]?
        var wallets: [EVMAddress]?
        var calendar: String?
        var opens: LocalTime?
        var closes: LocalTime?
    }

    /// The policy, with every rule's required fields checked and calendars resolved.
    func policy(calendars: [String: BusinessCalendar]) throws(ValidationError) -> CompliancePolicy {
        var rules = [PolicyRule]()
        for (index, entry) in self.rules.enumerated() {
            let path = "rules[\(index)]"
            func require<T>(_ value: T?, _ field: String) throws(ValidationError) -> T {
                guard let value else {
                    throw ValidationError(field: "\(path).\(field)", value: "", rule: "policy.field_required",
                                          message: "a \(entry.type) rule needs \(field)")
                }
                return value
            }
            let source = try require(entry.source ?? (entry.type == "travelRule" ? self.source : nil), "source")
            let kinds = entry.railKinds.map(Set.init)
            switch entry.type {
            case "prohibitRailKindsForCountries":
                rules.append(.prohibitRailKindsForCountries(
                    id: entry.id, railKinds: Set(try require(entry.railKinds, "railKinds")),
                    parties: try require(entry.parties, "parties"), countries: Set(try require(entry.countries, "countries")),
                    reasonCode: try require(entry.reasonCode, "reasonCode"), message: try require(entry.message, "message"),
                    source: source))
            case "travelRule":
                let fallback = try require(entry.default, "default")
                rules.append(.travelRule(
                    id: entry.id, railKinds: Set(try require(entry.railKinds, "railKinds")),
                    defaultThreshold: fallback.threshold.money, defaultSource: fallback.source,
                    jurisdictions: (entry.jurisdictions ?? []).map {
                        TravelRuleJurisdiction(name: $0.name, countries: Set($0.countries), threshold: $0.threshold.money, source: $0.source)
                    }))
            case "retailRequiresLicensedIssuer":
                rules.append(.retailRequiresLicensedIssuer(
                    id: entry.id, railKinds: Set(try require(entry.railKinds, "railKinds")),
                    countries: Set(try require(entry.countries, "countries")), licensedRails: Set(entry.licensedRails ?? []),
                    source: source))
            case "institutionalPartiesOnly":
                rules.append(.institutionalPartiesOnly(id: entry.id, railKinds: Set(try require(entry.railKinds, "railKinds")), source: source))
            case "amountLimit":
                guard entry.minimum != nil || entry.maximum != nil else {
                    throw ValidationError(field: "\(path).maximum", value: "", rule: "policy.field_required",
                                          message: "an amountLimit rule needs minimum or maximum")
                }
                rules.append(.amountLimit(id: entry.id, railKinds: kinds, rails: entry.rails.map(Set.init),
                                          minimum: entry.minimum?.money, maximum: entry.maximum?.money, source: source))
            case "sanctionsScreening":
                rules.append(.sanctionsScreening(
                    id: entry.id, names: Set((entry.names ?? []).map(PolicyRule.screeningKey)),
                    bics: Set(try (entry.bics ?? []).enumerated().map { item throws(ValidationError) in
                        try BIC(item.element, field: "\(path).bics[\(item.offset)]").bic8
                    }),
                    wallets: Set((entry.wallets ?? []).map(\.chainAddress)), source: source))
            case "operatingWindow":
                let calendarID = try require(entry.calendar, "calendar")
                guard let calendar = calendars[calendarID] else {
                    throw ValidationError(field: "\(path).calendar", value: calendarID, rule: "calendar.unknown",
                                          message: "no such calendar; known: \(calendars.keys.sorted().joined(separator: ", "))")
                }
                rules.append(.operatingWindow(id: entry.id, railKinds: kinds, rails: entry.rails.map(Set.init), calendar: calendar,
                                              opens: try require(entry.opens, "opens"), closes: try require(entry.closes, "closes"),
                                              source: source))
            default:
                throw ValidationError(
                    field: "\(path).type", value: entry.type, rule: "policy.unknown_rule_type",
                    message: "one of prohibitRailKindsForCountries, travelRule, retailRequiresLicensedIssuer, institutionalPartiesOnly, amountLimit, sanctionsScreening, operatingWindow")
            }
        }
        let ids = rules.map(\.id)
        if let duplicate = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw ValidationError(field: "rules", value: duplicate, rule: "policy.duplicate_id", message: "rule ids must be unique")
        }
        var registrations = [ChainAddress: WalletRegistration]()
        for (index, entry) in (walletRegistrations ?? []).enumerated() {
            guard registrations[entry.address.chainAddress] == nil else {
                throw ValidationError(field: "walletRegistrations[\(index)].address", value: entry.address.checksummed,
                                      rule: "policy.duplicate_wallet", message: "each wallet is registered once")
            }
            registrations[entry.address.chainAddress] = WalletRegistration(holder: entry.holder, country: entry.country, source: entry.source)
        }
        return CompliancePolicy(rules: rules, walletRegistrations: registrations)
    }
}
