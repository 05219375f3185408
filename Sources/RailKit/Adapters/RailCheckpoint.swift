import Foundation

/// A rail's own, versioned record of a payment: what it needs to follow and resume it (an EVM
/// transfer record, a pacs.008 and its UETR, a multi-leg plan and each leg's reference).
public protocol RailCheckpointPayload: Codable, Sendable, Hashable {
    /// The adapter type that writes it (`deposit-token`), so a checkpoint is never read by another rail.
    static var railType: String { get }
    /// Raised when the payload's shape changes; a rail reads every version it ever wrote.
    static var schemaVersion: Int { get }
}

/// The envelope every checkpoint travels in: which rail type wrote it, in which schema version,
/// and the payload as JSON text (sorted keys), exactly as the rail wrote it. Journals and stores
/// keep the envelope; only the rail reads the payload back, as its own type.
public struct RailCheckpoint: Sendable, Hashable, Codable {
    public var railType: String
    public var schemaVersion: Int
    /// The payload as JSON text.
    public var payload: String

    /// Wraps a rail's checkpoint value.
    public init<Payload: RailCheckpointPayload>(_ value: Payload) throws(RailError) {
        do {
            payload = String(decoding: try RailCoding.encoder().encode(value), as: UTF8.self)
        } catch {
            throw .invalidResponse("checkpoint \(Payload.railType) v\(Payload.schemaVersion) cannot be encoded: \(error)")
        }
        railType = Payload.railType
        schemaVersion = Payload.schemaVersion
    }

    /// Reads the payload back as `type`: it must have been written by that rail type, in a
    /// schema version no newer than the reader's.
    public func decode<Payload: RailCheckpointPayload>(_ type: Payload.Type) throws(RailError) -> Payload {
        guard railType == Payload.railType else {
            throw .invalidResponse("the checkpoint was written by a \(railType) rail, not \(Payload.railType)")
        }
        guard schemaVersion <= Payload.schemaVersion else {
            throw .invalidResponse("the \(railType) checkpoint has schema version \(schemaVersion); this build reads up to \(Payload.schemaVersion)")
        }
        do {
            return try RailCoding.decoder().decode(Payload.self, from: Data(payload.utf8))
        } catch {
            throw .invalidResponse("the \(railType) checkpoint v\(schemaVersion) cannot be read: \(error)")
        }
    }
}
