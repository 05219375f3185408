/// What one step of a multi-step execution does: an FX conversion, a token transfer, a payout.
public struct LegKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    // Codable comes from RawRepresentable: a leg kind is its string.

    public static let fxConversion = LegKind(rawValue: "fx_conversion")
    public static let tokenTransfer = LegKind(rawValue: "token_transfer")
    public static let offRamp = LegKind(rawValue: "off_ramp")
}

/// One step of a payment that executes in several (book FX → move tokens → pay out), with its
/// own reference and state, so a failure part-way says exactly which steps completed and where
/// the money is.
public struct PaymentLeg: Sendable, Hashable, Codable {
    public var kind: LegKind
    /// The counterpart's reference for this step (FX deal id, transaction hash, payout id).
    public var reference: RailReference
    public var state: RailPaymentState
    /// What the step takes in (USD sold, tokens sent).
    public var amountIn: Money?
    /// What the step delivers (CNH bought, tokens received, CNH paid out).
    public var amountOut: Money?
    /// Where the money is once this step is in its current state, in words an operator can act on.
    public var fundsLocation: String?
    /// The counterpart's own code or a short explanation.
    public var detail: String?

    public init(kind: LegKind, reference: RailReference, state: RailPaymentState, amountIn: Money? = nil,
                amountOut: Money? = nil, fundsLocation: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.reference = reference
        self.state = state
        self.amountIn = amountIn
        self.amountOut = amountOut
        self.fundsLocation = fundsLocation
        self.detail = detail
    }
}
