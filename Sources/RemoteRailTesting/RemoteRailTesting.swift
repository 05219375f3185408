import Foundation
import RailKit
import RailKitSupport
import RemoteRail

/// Configuring the router's `remote` adapter in tests, as `Config/` would.
public enum RemoteRailTesting {
    /// The `remote` adapter for `url` with `token`. Configuration waits for the remote rail's
    /// hello; a rail served by the test's own process would need the task threads to answer, so
    /// the wait happens on a thread of its own.
    public static func configure(_ id: RailID, url: URL, token: String, timeoutSeconds: Int = 15) async throws -> RemoteRail {
        let settings = Data(#"{"url": "\#(url.absoluteString)", "token": {"environment": "REMOTE_RAIL_TOKEN"}, "timeoutSeconds": \#(timeoutSeconds)}"#.utf8)
        let adapter = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any RailAdapter, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try RailFactory(RemoteRail.self, environment: ["REMOTE_RAIL_TOKEN": token])
                        .makeAdapter(id: id, settings: settings, file: "rails/\(id).json", context: RailConfigurationContext(calendars: [:]))
                })
            }
        }
        guard let remote = adapter as? RemoteRail else { throw RailError.misconfigured("the remote factory built \(type(of: adapter))") }
        return remote
    }
}
