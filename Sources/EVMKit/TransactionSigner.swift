import Foundation
import RailKit
import RailKitSupport

/// Signs transactions for one account. The local key signer is one implementation; a remote
/// signer or an HSM can stand behind the same protocol.
public protocol TransactionSigner: Sendable {
    /// The account whose transactions this signer signs.
    var address: EVMAddress { get }
    /// Signs `transaction`. The key never leaves the signer.
    func sign(_ transaction: EIP1559Transaction) async throws -> SignedTransaction
}

/// Signs with a secp256k1 key held in memory, loaded from an environment variable or from a file
/// only its owner can read. The key is never logged or put in an error message.
public struct LocalKeySigner: TransactionSigner, CustomStringConvertible {
    private let key: PrivateKey

    public init(key: PrivateKey) { self.key = key }

    public var address: EVMAddress { key.address }

    public func sign(_ transaction: EIP1559Transaction) async throws -> SignedTransaction {
        transaction.signed(with: try key.sign(digest: transaction.signingHash))
    }

    /// Reads a hex key from the environment variable `name`.
    public static func fromEnvironment(_ name: String,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws(SigningError) -> LocalKeySigner {
        guard let value = environment[name], !value.isEmpty else {
            throw .keyUnavailable("environment variable \(name) is not set")
        }
        do { return LocalKeySigner(key: try PrivateKey(hex: value)) } catch {
            throw .keyUnavailable("environment variable \(name) does not hold a 32-byte hex secp256k1 key")
        }
    }

    /// Reads a hex key from `path`, which must be a regular file with no group or other permissions (0600 or 0400).
    public static func fromFile(_ path: String) throws(SigningError) -> LocalKeySigner {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw .keyUnavailable("key file \(path) cannot be read")
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw .keyUnavailable("key file \(path) is not a regular file")
        }
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o777
        guard permissions & 0o077 == 0 else {
            throw .keyUnavailable("key file \(path) has mode \(String(permissions, radix: 8)); allow its owner only (chmod 600)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyUnavailable("key file \(path) cannot be read")
        }
        do { return LocalKeySigner(key: try PrivateKey(hex: String(decoding: data, as: UTF8.self))) } catch {
            throw .keyUnavailable("key file \(path) does not hold a 32-byte hex secp256k1 key")
        }
    }

    public var description: String { "LocalKeySigner(\(address))" }
}
