import HummingbirdCore
import NIOCore

/// How the sandbox counterparts serve HTTP/1.1: a connection idle for 30 s is closed, and a
/// request not read in full within 10 s of the connection or the previous exchange is cut off, so
/// a client that stalls or dribbles its headers or body cannot hold a connection open.
public enum SandboxServerConfiguration {
    public static let idleTimeout: TimeAmount = .seconds(30)
    /// A request must be read in full within this long.
    public static let requestReadTimeout: TimeAmount = .seconds(10)

    /// HTTP/1.1 with both limits.
    public static var http1: HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [RequestReadTimeoutHandler(limit: requestReadTimeout)], idleTimeout: idleTimeout))
    }
}
