import ISO20022
import RailKit

/// What the correspondent-banking rail journals before the pacs.008 leaves the process: the
/// message exactly as it will be sent (resent as is if the bank never received it: the bank keys
/// on the UETR, so a resend cannot pay twice) and the identifiers it carries.
struct CorrespondentCheckpoint: RailCheckpointPayload {
    static let railType = "correspondent-banking"
    static let schemaVersion = 1

    var uetr: UETR
    var messageID: String
    var endToEndID: String
    var settlementAmount: Money
    var chargeBearer: ChargeBearer
    var instructedAgent: BIC
    var creditorAgent: BIC
    /// The pacs.008 (in its head.001 envelope where the bank asks for one), as sent.
    var pacs008: String
}
