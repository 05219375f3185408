import Foundation
import RailKit
import RailKitSupport

/// Which party of a payment a rule looks at.
public enum PartyRole: String, Sendable, Hashable, Codable {
    case debtor
    case creditor
}

/// A travel-rule threshold for the parties resident in some countries.
public struct TravelRuleJurisdiction: Sendable, Hashable {
    public var name: String
    public var countries: Set<CountryCode>
    /// Data is required for transfers at or above this amount (0: always).
    public var threshold: Money
    public var source: String
}

/// Who a wallet is registered to, as a screening provider or onboarding recorded it.
public struct WalletRegistration: Sendable, Hashable {
    public var holder: String
    public var country: CountryCode
    public var source: String

    public init(holder: String, country: CountryCode, source: String) {
        self.holder = holder
        self.country = country
        self.source = source
    }
}

/// One declarative compliance rule from `Config/compliance/policy.json`.
public enum PolicyRule: Sendable {
    /// Rails of these kinds never serve the listed parties placed in these countries by any field: residence,
    /// postal address, bank (BIC), IBAN, or a wallet registered to a holder there.
    case prohibitRailKindsForCountries(id: String, railKinds: Set<RailKind>, parties: [PartyRole], countries: Set<CountryCode>,
                                       reasonCode: ReasonCode, message: String, source: String)
    /// Above the strictest threshold of the parties' jurisdictions, complete originator and
    /// beneficiary data must accompany the transfer.
    case travelRule(id: String, railKinds: Set<RailKind>, defaultThreshold: Money, defaultSource: String,
                    jurisdictions: [TravelRuleJurisdiction])
    /// Retail parties in these countries may only get stablecoins from licensed issuers.
    case retailRequiresLicensedIssuer(id: String, railKinds: Set<RailKind>, countries: Set<CountryCode>,
                                      licensedRails: Set<RailID>, source: String)
    /// Both parties must be institutional.
    case institutionalPartiesOnly(id: String, railKinds: Set<RailKind>, source: String)
    /// A per-payment limit (in the source currency, converted at mid) for some rails.
    case amountLimit(id: String, railKinds: Set<RailKind>?, rails: Set<RailID>?, minimum: Money?, maximum: Money?, source: String)
    /// Parties, banks and wallets on a screening list are excluded from every rail.
    case sanctionsScreening(id: String, names: Set<String>, bics: Set<String>, wallets: Set<ChainAddress>, source: String)
    /// Some rails may only be used inside a daily window on a calendar's business days.
    case operatingWindow(id: String, railKinds: Set<RailKind>?, rails: Set<RailID>?, calendar: BusinessCalendar,
                         opens: LocalTime, closes: LocalTime, source: String)

    public var id: String {
        switch self {
        case .prohibitRailKindsForCountries(let id, _, _, _, _, _, _), .travelRule(let id, _, _, _, _),
             .retailRequiresLicensedIssuer(let id, _, _, _, _), .institutionalPartiesOnly(let id, _, _),
             .amountLimit(let id, _, _, _, _, _), .sanctionsScreening(let id, _, _, _, _),
             .operatingWindow(let id, _, _, _, _, _, _):
            id
        }
    }

    /// Whether the rule's answer depends on the amount the debtor sends (limits, travel-rule
    /// thresholds): for a fixed-receive payment it is judged on each rail's quoted principal.
    public var dependsOnAmount: Bool {
        switch self {
        case .amountLimit, .travelRule: true
        case .prohibitRailKindsForCountries, .retailRequiresLicensedIssuer, .institutionalPartiesOnly, .sanctionsScreening, .operatingWindow: false
        }
    }

    /// Upper-cases, drops punctuation and folds white space, so screening matches `Blocked Trading Co. Ltd`.
    static func screeningKey(_ name: String) -> String {
        if let key = asciiScreeningKey(name) { return key }
        return unicodeScreeningKey(name)
    }

    /// ``screeningKey(_:)`` character by character, for any script.
    static func unicodeScreeningKey(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : " " })
            .split(separator: " ").joined(separator: " ")
    }

    /// ``screeningKey(_:)`` of an ASCII name, byte by byte (nil for any other name): most names
    /// are ASCII, and the Unicode path costs a few microseconds per name.
    static func asciiScreeningKey(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { bytes -> String? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { key -> String? in
                var count = 0
                var pendingSpace = false
                for byte in bytes {
                    guard byte < 0x80 else { return nil }
                    let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
                    if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(upper) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(upper) {
                        if pendingSpace && count > 0 {
                            key[count] = UInt8(ascii: " ")
                            count += 1
                        }
                        pendingSpace = false
                        key[count] = upper
                        count += 1
                    } else {
                        pendingSpace = true
                    }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: key[..<count]), as: UTF8.self)
            }
        }
    }
}
