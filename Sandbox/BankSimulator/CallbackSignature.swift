import Crypto
import Foundation
import RailKit
import RailKitSupport

/// Signs a status callback: `Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
/// The timestamp is inside the MAC so a captured callback cannot be replayed later with a new time.
public enum CallbackSignature {
    public static let header = "Switchyard-Signature"

    public static func value(body: Data, secret: Data, at instant: Date) -> String {
        let timestamp = Int(instant.timeIntervalSince1970)
        let key = SymmetricKey(data: secret)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: key)
        return "t=\(timestamp),v1=" + Hex.encode(mac)
    }
}
