import Foundation
import RailKit
import RailKitSupport

/// A payment an adapter is asked to quote during conformance, and what must come back.
public struct ConformanceScenario: Sendable {
    public enum Expectation: Sendable, Equatable {
        /// The rail must quote.
        case quote
        /// The rail must decline with this code (declines are data, never thrown).
        case decline(ReasonCode)
    }

    public var name: String
    public var intent: PaymentIntent
    public var expectation: Expectation

    public init(_ name: String, intent: PaymentIntent, expect expectation: Expectation) {
        self.name = name
        self.intent = intent
        self.expectation = expectation
    }
}

/// Everything the conformance run found wrong, all at once.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    public var rail: RailID
    public var violations: [String]
    public var description: String {
        "\(rail) fails \(violations.count) conformance check(s):\n" + violations.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// What a passing run checked, for the test log.
public struct ConformanceReport: Sendable {
    public var rail: RailID
    public var scenarios: Int
    public var quotes: Int
    public var declines: Int
    public var checks: Int
}
