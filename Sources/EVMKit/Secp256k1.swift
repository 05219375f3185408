import Foundation
import CSecp256k1
import RailKit
import RailKitSupport

/// One libsecp256k1 context for the process. Signing and recovery only read it, which the library
/// documents as safe from several threads at once.
private final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()
    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not create a context")
        }
        pointer = context
    }
}

/// A secp256k1 private key. Its bytes never appear in a description, a log line or an error.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let secret: [UInt8]
    /// The Ethereum address of the key: the last 20 bytes of keccak256(uncompressed public key).
    public let address: EVMAddress

    /// Accepts 32 bytes that form a valid key (non-zero, below the curve order).
    public init(bytes: [UInt8]) throws(SigningError) {
        guard bytes.count == 32,
              secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, bytes) == 1 else { throw .invalidPrivateKey }
        secret = bytes
        var publicKey = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &publicKey, bytes) == 1 else { throw .invalidPrivateKey }
        address = Self.address(of: publicKey)
    }

    /// Parses 64 hex digits, with or without `0x`; surrounding whitespace (a trailing newline in a file) is ignored.
    public init(hex: String) throws(SigningError) {
        let trimmed = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(trimmed), bytes.count == 32 else { throw .invalidPrivateKey }
        try self.init(bytes: bytes)
    }

    /// Signs a 32-byte digest: RFC 6979 deterministic nonce, low-s, with the recovery id.
    public func sign(digest: [UInt8]) throws(SigningError) -> RecoverableSignature {
        guard digest.count == 32 else { throw .invalidDigest }
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, digest, secret, nil, nil) == 1 else {
            throw .signingFailed
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &signature)
        return RecoverableSignature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), recoveryID: UInt8(recoveryID))
    }

    public var description: String { "PrivateKey(address: \(address), secret: redacted)" }
    public var debugDescription: String { description }

    fileprivate static func address(of publicKey: secp256k1_pubkey) -> EVMAddress {
        var key = publicKey
        var serialized = [UInt8](repeating: 0, count: 65)
        var length = 65
        secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.pointer, &serialized, &length, &key,
                                      UInt32(SECP256K1_EC_UNCOMPRESSED))
        // Drop the 0x04 prefix; the address is the hash's last 20 bytes.
        return EVMAddress(bytes: Array(Keccak256.hash(serialized[1...]).suffix(20)))
    }
}

/// An ECDSA signature with the recovery id Ethereum's `v`/`yParity` carries.
public struct RecoverableSignature: Sendable, Hashable {
    public var r: [UInt8]
    public var s: [UInt8]
    /// 0 or 1: the parity of the signature point's y coordinate.
    public var recoveryID: UInt8

    public init(r: [UInt8], s: [UInt8], recoveryID: UInt8) {
        self.r = r
        self.s = s
        self.recoveryID = recoveryID
    }

    /// The address whose key produced this signature over `digest`, or nil if none can.
    public func recoverSigner(digest: [UInt8]) -> EVMAddress? {
        guard digest.count == 32, r.count == 32, s.count == 32, recoveryID <= 3 else { return nil }
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, r + s, Int32(recoveryID)) == 1 else {
            return nil
        }
        var publicKey = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &publicKey, &signature, digest) == 1 else { return nil }
        return PrivateKey.address(of: publicKey)
    }
}

/// Why signing failed. Never carries key material.
public enum SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidPrivateKey
    case invalidDigest
    case signingFailed
    /// The key source could not be used (missing variable, unreadable or too-open file).
    case keyUnavailable(String)

    public var description: String {
        switch self {
        case .invalidPrivateKey: "the private key is not 32 bytes forming a valid secp256k1 key"
        case .invalidDigest: "a signature covers a 32-byte digest"
        case .signingFailed: "libsecp256k1 refused to sign"
        case .keyUnavailable(let why): "signing key unavailable: \(why)"
        }
    }
}
