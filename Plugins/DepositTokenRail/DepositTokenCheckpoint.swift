import EVMKit
import RailKit

/// What the deposit-token rail journals before a transfer leaves the process: the signed ERC-20
/// transfer (to resend it if the node never saw it) and what its `Transfer` log must show.
struct DepositTokenCheckpoint: RailCheckpointPayload {
    static let railType = "deposit-token"
    static let schemaVersion = 1

    var transfer: ERC20TransferRecord
}
