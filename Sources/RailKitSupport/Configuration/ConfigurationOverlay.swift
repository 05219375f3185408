import Foundation
import RailKit

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

    /// `base` with `patch` applied (both JSON documents). Members keep their order (new ones come
    /// last) and numbers keep their text.
    ///
    /// A key given twice in one object of either document is refused: the patch would change one
    /// of the two, and which one a decoder then reads is not said anywhere (an operator's changed
    /// screening list could be the one ignored).
    public static func apply(_ patch: Data, to base: Data) throws -> Data {
        let patchTree = try JSONTree(parsing: patch), baseTree = try JSONTree(parsing: base)
        if let path = patchTree.firstDuplicateKeyPath() { throw DuplicateKey(path: path, inPatch: true) }
        if let path = baseTree.firstDuplicateKeyPath() { throw DuplicateKey(path: path, inPatch: false) }
        return merge(patchTree, into: baseTree).serialized()
    }

    /// A key given twice in one object of an overlay (`inPatch`) or of the file it patches.
    public struct DuplicateKey: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
        /// Where, e.g. `rules[0].names`.
        public var path: String
        /// In the overlay's file, not in the configuration file it patches.
        public var inPatch: Bool

        public init(path: String, inPatch: Bool) {
            self.path = path
            self.inPatch = inPatch
        }

        public var description: String { "\(path) appears twice in one object of \(inPatch ? "the patch" : "the file it patches")" }
        public var errorDescription: String? { description }
    }

    static func merge(_ patch: JSONTree, into base: JSONTree?) -> JSONTree {
        if case .array(let patchArray) = patch, case .array(let baseArray) = base, let merged = mergeByID(patchArray, into: baseArray) {
            return .array(merged)
        }
        guard case .object(let patchMembers) = patch else { return patch }
        var result = base?.members ?? []
        for member in patchMembers {
            let index = result.firstIndex { $0.key == member.key }
            if member.value == .null {
                if let index { result.remove(at: index) }
            } else if let index {
                result[index].value = merge(member.value, into: result[index].value)
            } else {
                result.append(JSONTree.Member(key: member.key, value: merge(member.value, into: nil)))
            }
        }
        return .object(result)
    }

    /// Arrays of objects with string ids, merged element by element; nil when either is not one.
    private static func mergeByID(_ patch: [JSONTree], into base: [JSONTree]) -> [JSONTree]? {
        func id(_ element: JSONTree) -> String? {
            if case .string(let id) = element["id"] { return id }
            return nil
        }
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
