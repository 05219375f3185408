import RailKit
import Foundation

/// A counterpart's URL from configuration, checked once: absolute http(s) and, where money or
/// personal data travel, TLS except on loopback. Errors name the field and never echo the path
/// or query (they may carry an API key).
public enum EndpointURL {
    public static func parse(_ text: String, field: String, requireTLS: Bool = true) throws(ValidationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host else {
            throw ValidationError(field: field, value: "(hidden)", rule: "url.absolute", message: "an absolute http(s) URL")
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        guard !requireTLS || scheme == "https" || loopback else {
            throw ValidationError(field: field, value: "\(scheme)://\(host)", rule: "transport.tls_required",
                                  message: "reached over TLS (https); plain http is allowed on loopback only")
        }
        return url
    }
}
