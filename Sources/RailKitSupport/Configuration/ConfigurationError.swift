import RailKit
import Foundation

/// A configuration file that cannot be used: which file, which field, and why.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var message: String

    public init(file: String, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String { "\(file): \(field.isEmpty ? "(top level)" : field): \(message)" }
}

/// Decodes configuration JSON, turning decoding failures into ``ConfigurationError``s that name
/// the file and the field.
public enum ConfigurationDecoding {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws(ConfigurationError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw describe(error, file: file)
        }
    }

    /// A ``ConfigurationError`` for any error thrown while decoding `file`.
    public static func describe(_ error: any Error, file: String) -> ConfigurationError {
        switch error {
        case let error as ConfigurationError:
            return error
        case let error as ValidationError:
            return ConfigurationError(file: file, field: error.field, message: "\(error.message) (got \"\(error.value)\")")
        case let error as DecodingError:
            let failure = DecodingFailure(error)
            return ConfigurationError(file: file, field: failure.field, message: failure.message)
        default:
            return ConfigurationError(file: file, field: "", message: "\(error)")
        }
    }
}

/// A `DecodingError` restated as a field path and a sentence.
public struct DecodingFailure: Sendable {
    public var field: String
    public var message: String

    /// What a JSON writer calls the kind of value a Swift type decodes from.
    static func jsonKind(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is any BinaryInteger.Type, is any BinaryFloatingPoint.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Dictionary<") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
            if name.hasPrefix("Array<") || name.hasPrefix("UnkeyedDecodingContainer") { return "an array" }
            return "another kind of value"
        }
    }

    /// A decoder's own sentence with any Swift type name taken out ("Cannot initialize FixedSide
    /// from invalid String value x" says only that the value is not accepted).
    static func plain(_ description: String) -> String {
        if description.hasPrefix("Cannot initialize "), let range = description.range(of: " value ") {
            return "\"\(description[range.upperBound...])\" is not an accepted value"
        }
        return description
    }

    public init(_ error: DecodingError) {
        let path = CodingPath.format
        switch error {
        case .keyNotFound(let key, let context):
            field = path(context.codingPath + [key])
            message = "is required"
        case .typeMismatch(let type, let context):
            field = path(context.codingPath)
            message = "has the wrong type (expected \(Self.jsonKind(of: type)))"
        case .valueNotFound(_, let context):
            field = path(context.codingPath)
            message = "must not be null"
        case .dataCorrupted(let context):
            field = path(context.codingPath)
            message = context.underlyingError.map { "is not valid JSON: \($0.localizedDescription)" } ?? Self.plain(context.debugDescription)
        @unknown default:
            field = ""
            message = "\(error)"
        }
    }
}
