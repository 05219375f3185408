/// A stable, machine-readable reason a rail was excluded or declined, e.g.
/// `JURISDICTION_PROHIBITS_STABLECOIN`. An open set: adapters may add their own codes.
public struct ReasonCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    // Codable comes from RawRepresentable: a reason code is its string.

    // Compliance policy.
    public static let jurisdictionProhibitsStablecoin = ReasonCode(rawValue: "JURISDICTION_PROHIBITS_STABLECOIN")
    public static let travelRuleDataMissing = ReasonCode(rawValue: "TRAVEL_RULE_DATA_MISSING")
    public static let unlicensedStablecoinForRetail = ReasonCode(rawValue: "UNLICENSED_STABLECOIN_FOR_RETAIL")
    public static let counterpartyNotAllowlisted = ReasonCode(rawValue: "COUNTERPARTY_NOT_ALLOWLISTED")
    public static let counterpartyNotInstitutional = ReasonCode(rawValue: "COUNTERPARTY_NOT_INSTITUTIONAL")
    public static let sanctionsHit = ReasonCode(rawValue: "SANCTIONS_SCREENING_HIT")
    public static let outsideOperatingHours = ReasonCode(rawValue: "OUTSIDE_OPERATING_HOURS")
    public static let policyAmountLimit = ReasonCode(rawValue: "POLICY_AMOUNT_LIMIT")
    /// A policy rule could not be evaluated (no rate to compare a threshold, say): the policy fails closed.
    public static let policyEvaluationFailed = ReasonCode(rawValue: "POLICY_EVALUATION_FAILED")

    // Capabilities and the request.
    public static let corridorNotSupported = ReasonCode(rawValue: "CORRIDOR_NOT_SUPPORTED")
    public static let amountBelowMinimum = ReasonCode(rawValue: "AMOUNT_BELOW_MINIMUM")
    public static let amountAboveMaximum = ReasonCode(rawValue: "AMOUNT_ABOVE_MAXIMUM")
    /// The amount is beyond what exact arithmetic can score or price on the rail (no limit caught it).
    public static let amountOutOfRange = ReasonCode(rawValue: "AMOUNT_OUT_OF_RANGE")
    public static let fixedReceiveNotSupported = ReasonCode(rawValue: "FIXED_RECEIVE_NOT_SUPPORTED")
    public static let railNotSelected = ReasonCode(rawValue: "RAIL_NOT_SELECTED")
    public static let railDisabled = ReasonCode(rawValue: "RAIL_DISABLED")
    public static let creditorAccountMissing = ReasonCode(rawValue: "CREDITOR_ACCOUNT_MISSING")
    public static let debtorAccountMissing = ReasonCode(rawValue: "DEBTOR_ACCOUNT_MISSING")
    public static let insufficientFunds = ReasonCode(rawValue: "INSUFFICIENT_FUNDS")
    public static let debtorWalletNotControlled = ReasonCode(rawValue: "DEBTOR_WALLET_NOT_CONTROLLED")
    public static let amountTooSmallAfterFees = ReasonCode(rawValue: "AMOUNT_TOO_SMALL_AFTER_FEES")

    // Execution and settlement.
    public static let quoteExpired = ReasonCode(rawValue: "QUOTE_EXPIRED")
    public static let quoteMismatch = ReasonCode(rawValue: "QUOTE_MISMATCH")
    public static let transactionReverted = ReasonCode(rawValue: "TRANSACTION_REVERTED")
    public static let transactionDropped = ReasonCode(rawValue: "TRANSACTION_DROPPED")
    public static let submissionRejected = ReasonCode(rawValue: "SUBMISSION_REJECTED")
    public static let reconciliationMismatch = ReasonCode(rawValue: "RECONCILIATION_MISMATCH")
    /// The bank refused the payment (pacs.002 RJCT); the ISO reason is in the status details.
    public static let rejectedByBank = ReasonCode(rawValue: "REJECTED_BY_BANK")
    /// The payment came back after settlement (pacs.004); the ISO reason is in the status details.
    public static let paymentReturned = ReasonCode(rawValue: "PAYMENT_RETURNED")
    /// Funds are held by an agent (pacs.002 BLCK), e.g. pending a sanctions review.
    public static let fundsBlocked = ReasonCode(rawValue: "FUNDS_BLOCKED")
    /// A name or reference cannot be written in the rail's character set (SWIFT for CBPR+).
    public static let characterSetViolation = ReasonCode(rawValue: "CHARACTER_SET_VIOLATION")
    /// The firm FX quote locked for execution expired before it was booked; nothing moved.
    public static let fxQuoteExpired = ReasonCode(rawValue: "FX_QUOTE_EXPIRED")
    /// The FX provider would not price or book the conversion; nothing moved.
    public static let fxUnavailable = ReasonCode(rawValue: "FX_UNAVAILABLE")
    /// The firm FX price moved beyond the tolerance from the payment's quote; nothing moved.
    public static let fxPriceMoved = ReasonCode(rawValue: "FX_PRICE_MOVED")
    /// A later leg failed after an earlier one completed: the funds are parked where the status says.
    public static let legFailedFundsHeld = ReasonCode(rawValue: "LEG_FAILED_FUNDS_HELD")
    /// The off-ramp partner refused or returned the payout.
    public static let payoutRejected = ReasonCode(rawValue: "PAYOUT_REJECTED")
    /// A wallet is registered to a party in a jurisdiction the rail must never deliver to.
    public static let walletRegisteredToProhibitedJurisdiction = ReasonCode(rawValue: "WALLET_REGISTERED_TO_PROHIBITED_JURISDICTION")

    // Routing.
    public static let deadlineNotMet = ReasonCode(rawValue: "DEADLINE_NOT_MET")
    public static let quoteTimeout = ReasonCode(rawValue: "QUOTE_TIMEOUT")
    public static let railUnavailable = ReasonCode(rawValue: "RAIL_UNAVAILABLE")
    /// A calendar the rail needs has no holiday list for the year the payment reaches: a
    /// configuration gap (add that year to the calendar file), not a rail outage.
    public static let calendarNotCovered = ReasonCode(rawValue: "CALENDAR_NOT_COVERED")
}

/// A rail's answer that it will not carry this payment: data, not an error.
public struct RailDecline: Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: ReasonCode
    /// A sentence a person understands.
    public var message: String

    public init(_ code: ReasonCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
