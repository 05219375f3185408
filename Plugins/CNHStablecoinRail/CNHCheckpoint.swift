import EVMKit
import RailKit

/// What the CNH stablecoin rail journals as a payment moves through its legs: the plan (every
/// amount), then the FX deal once booked, then the token transfer (signed, before it is sent).
/// Status and a restart read where the payment got to from the last checkpoint.
struct CNHCheckpoint: RailCheckpointPayload {
    static let railType = "cnh-stablecoin"
    static let schemaVersion = 1

    var plan: CNHPaymentPlan
    /// The wallet the tokens leave from.
    var liquidityWallet: EVMAddress
    /// The IVMS 101 shaped travel-rule record sent with the transfer, when the payment carries one.
    var travelRule: TravelRuleData?
    /// The dealer's deal id once the FX leg is booked.
    var dealID: String?
    /// The token transfer once signed (before it is sent), and its hash.
    var transfer: ERC20TransferRecord?
    var transferHash: String?
}
