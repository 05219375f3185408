import Foundation

/// An operator's (or the sandbox's) changes to the shipped configuration, kept apart from it: a
/// directory mirroring `Config/`, each file a JSON merge patch (RFC 7386) of the file at the same
/// path. Shipped files stay as published, with real, sourced entries only; screening lists,
/// allowlists and sample data live in the overlay (`--overlay`, `SWITCHYARD_CONFIG_OVERLAY`).
///
/// RFC 7386, with one addition: an array of objects that all carry a string `id` (the policy's
/// rules) patches the base array's elements by id — changing the ones named, appending new ones —
/// instead of replacing the whole array, so an overlay states only what it changes. Any other
/// array replaces; `null` removes a key.
public enum ConfigurationOverlay {
    /// The environment variable naming an overlay directory.
    public static let directoryVariable = "SWITCHYARD_CONFIG_OVERLAY"

    /// `base` with `patch` applied (both JSON documents).
    public static func apply(_ patch: Data, to base: Data) throws -> Data {
        let merged = merge(try JSONSerialization.jsonObject(with: patch, options: [.fragmentsAllowed]),
                           into: try JSONSerialization.jsonObject(with: base, options: [.fragmentsAllowed]))
        // Not sorted: only a decoder reads this, and sorting keys makes Foundation load an ICU
        // locale (about 2 ms of every `switchyard` run with an overlay).
        return try JSONSerialization.data(withJSONObject: merged, options: [.fragmentsAllowed])
    }

    static func merge(_ patch: Any, into base: Any?) -> Any {
        if let patchArray = patch as? [Any], let baseArray = base as? [Any], let merged = mergeByID(patchArray, into: baseArray) {
            return merged
        }
        guard let patchObject = patch as? [String: Any] else { return patch }
        var result = base as? [String: Any] ?? [:]
        for (key, value) in patchObject {
            if value is NSNull {
                result[key] = nil
            } else {
                result[key] = merge(value, into: result[key])
            }
        }
        return result
    }

    /// Arrays of objects with string ids, merged element by element; nil when either is not one.
    private static func mergeByID(_ patch: [Any], into base: [Any]) -> [Any]? {
        func id(_ element: Any) -> String? { (element as? [String: Any])?["id"] as? String }
        guard !patch.isEmpty, !base.isEmpty, patch.allSatisfy({ id($0) != nil }), base.allSatisfy({ id($0) != nil }) else { return nil }
        var merged = base
        for element in patch {
            if let index = merged.firstIndex(where: { id($0) == id(element) }) {
                merged[index] = merge(element, into: merged[index])
            } else {
                merged.append(element)
            }
        }
        return merged
    }
}
