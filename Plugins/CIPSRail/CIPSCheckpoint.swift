import ISO20022
import RailKit

/// What the CIPS rail journals before the pacs.008 leaves the process: the message exactly as it
/// will be sent (resent as is if the participant never received it: the participant keys on the
/// UETR, so a resend cannot pay twice) and the identifiers it carries.
struct CIPSCheckpoint: RailCheckpointPayload {
    static let railType = "cips"
    static let schemaVersion = 1

    var uetr: UETR
    var messageID: String
    var settlementAmount: Money
    var participant: BIC
    var creditorAgent: BIC
    /// The pacs.008 as sent.
    var pacs008: String
}
