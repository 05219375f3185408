import RailKit
import RailKitSupport

extension ChargeBearer {
    /// The ISO 20022 `ChrgBr` code.
    public var iso20022Code: String {
        switch self {
        case .our: "DEBT"
        case .sha: "SHAR"
        case .ben: "CRED"
        }
    }
}

extension RailReference {
    /// A payment's UETR as its rail reference.
    public static func uetr(_ uetr: UETR) -> RailReference { RailReference(kind: "uetr", value: uetr.value) }
}
