import CNHStablecoinRail
import CorrespondentBankingRail
import DepositTokenRail
import Foundation
import RailKit
import RailKitSupport
import RemoteRail

/// The adapter modules linked into this executable, listed once; `Config/switchyard.json` picks
/// among them by `adapter` type. Adding a rail module means adding its type here.
public enum RailModules {
    /// One factory per rail type, reading `{"environment": NAME}` settings from `environment`.
    public static func factories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [any RailAdapterFactory] {
        [
            RailFactory(DepositTokenRail.self, environment: environment),
            RailFactory(CorrespondentBankingRail.self, environment: environment),
            RailFactory(CNHStablecoinRail.self, environment: environment),
            // A rail in another process, added by configuration alone (URL and token).
            RailFactory(RemoteRail.self, environment: environment),
        ]
    }
}
