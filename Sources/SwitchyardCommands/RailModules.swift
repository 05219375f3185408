import CNHStablecoinRail
import CorrespondentBankingRail
import DepositTokenRail
import RailKit

/// The adapter modules linked into this executable; `Config/switchyard.json` picks among them
/// by `adapter` type. Adding a rail module means adding its factory here.
public enum RailModules {
    public static let factories: [any RailAdapterFactory] = [
        DepositTokenRailFactory(),
        CorrespondentBankingRailFactory(),
        CNHStablecoinRailFactory(),
    ]
}
