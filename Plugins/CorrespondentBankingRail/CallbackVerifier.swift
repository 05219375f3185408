import Crypto
import Foundation
import RailKit
import RailKitSupport

/// Checks a bank's status callback: `Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
/// within a tolerance of the receiver's clock so an old callback cannot be replayed.
struct CallbackVerifier: Sendable {
    /// The shared secret (kept as bytes: swift-crypto's key type is not `Sendable`).
    let secret: Data
    let tolerance: TimeInterval

    enum Failure: Error, CustomStringConvertible {
        case missingSignature, malformedSignature, staleTimestamp, mismatch
        var description: String {
            switch self {
            case .missingSignature: "callback has no Switchyard-Signature header"
            case .malformedSignature: "Switchyard-Signature is not t=<seconds>,v1=<hex>"
            case .staleTimestamp: "callback timestamp outside the accepted window"
            case .mismatch: "callback signature does not match"
            }
        }
    }

    func verify(body: Data, signature: String?, now: Date) throws(Failure) {
        guard let signature else { throw .missingSignature }
        var fields = [String: String]()
        for part in signature.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0]).trimmingCharacters(in: .whitespaces)] = String(pair[1]) }
        }
        guard let timestampText = fields["t"], let timestamp = Int(timestampText), let hex = fields["v1"],
              hex.count == 64, let mac = Hex.decode(hex) else { throw .malformedSignature }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { throw .staleTimestamp }
        // isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(Data(mac), authenticating: Data("\(timestamp).".utf8) + body, using: SymmetricKey(data: secret)) else {
            throw .mismatch
        }
    }
}
