import Foundation
import RailKit
import RailKitSupport

/// Reads and decodes the files of one configuration directory, each file's JSON merge patch from
/// the overlay merged in. Stateless, so the files of one load are read and decoded on several
/// threads at once; every failure comes back as the ``ConfigurationError`` to report.
struct ConfigurationFileReader: Sendable {
    var directory: URL
    var overlay: URL?

    /// A file's path as errors name it.
    func display(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// The bytes of `relative` in the configuration directory, its overlay patch applied.
    func read(_ relative: String) -> Result<Data, ConfigurationError> {
        let base: Data
        do {
            base = try Data(contentsOf: directory.appendingPathComponent(relative))
        } catch {
            return .failure(ConfigurationError(file: display(relative), field: "", message: "cannot be read (\(error.localizedDescription))"))
        }
        guard let patchFile = overlay?.appendingPathComponent(relative), FileManager.default.fileExists(atPath: patchFile.path) else { return .success(base) }
        do {
            return .success(try ConfigurationOverlay.apply(try Data(contentsOf: patchFile), to: base))
        } catch let duplicate as ConfigurationOverlay.DuplicateKey {
            // The file the key is in, and the key: the merge could not say which of the two counts.
            return .failure(ConfigurationError(file: duplicate.inPatch ? patchFile.path : display(relative), field: duplicate.path,
                                               message: "appears twice in one object; give each key once"))
        } catch {
            return .failure(ConfigurationError(file: patchFile.path, field: "", message: "is not a JSON merge patch of \(display(relative)) (\(error.localizedDescription))"))
        }
    }

    /// `relative`'s bytes (as ``read(_:)`` gave them) decoded as `type`, errors naming the file and field.
    func decode<T: Decodable>(_ type: T.Type, _ relative: String, _ reading: Result<Data, ConfigurationError>) -> Result<T, ConfigurationError> {
        reading.flatMap { data in
            Result { () throws(ConfigurationError) in try ConfigurationDecoding.decode(type, from: data, file: display(relative)) }
        }
    }

    /// What `body` makes of a decoded file, or its error stated against `relative`.
    func checking<T>(_ relative: String, _ body: () throws -> T) -> Result<T, ConfigurationError> {
        do {
            return .success(try body())
        } catch {
            return .failure(ConfigurationDecoding.describe(error, file: display(relative)))
        }
    }
}
