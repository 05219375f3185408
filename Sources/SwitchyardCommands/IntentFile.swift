import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// Reads a payment intent's JSON from a file (or `-` for standard input), with errors that name
/// the file, the field and the rule.
enum IntentFile {
    static func read(_ path: String) throws -> PaymentIntent {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(exitCode: 2, message: "--request: cannot read \(path)")
            }
            data = contents
        }
        let name = path == "-" ? "request" : path
        do {
            let intent = try PaymentIntent.decodeStrictly(from: data)
            try intent.checkEVMAddresses()
            return intent
        } catch let error as RailKit.ValidationError {
            throw CommandFailure(exitCode: 2, message: "\(name): \(error.field): \(error.message) (rule \(error.rule), got \"\(error.value)\")")
        } catch let error as DecodingError {
            let failure = DecodingFailure(error)
            throw CommandFailure(exitCode: 2, message: "\(name): \(failure.field.isEmpty ? "(document)" : failure.field): \(failure.message)")
        }
    }
}
