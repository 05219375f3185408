import Foundation

extension RailCoding {
    /// The path of the first key that appears twice in one object of `json` (compared after
    /// unescaping, so `"a"` and `"\u0061"` are the same key), or nil. Foundation's decoders keep
    /// one of the two silently, so a payment that says two things would be read as one of them.
    ///
    /// `json` must already have parsed as JSON: this walks its bytes for structure only.
    static func duplicateKey(in json: Data) -> String? {
        json.withUnsafeBytes { raw -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            /// An open object (its keys so far, and the key whose value is being read) or array (its next index).
            struct Level {
                var name: String
                var keys: Set<String>?
                var currentKey = ""
                var nextIndex = 0
            }
            var levels = [Level]()
            var position = 0
            var expectingKey = false

            /// `creditor.accounts.wallets[0].address`
            func path(_ names: [String]) -> String {
                var text = ""
                for name in names where !name.isEmpty {
                    text += name.hasPrefix("[") || text.isEmpty ? name : "." + name
                }
                return text
            }
            /// The name of the value starting now: its key in an object, its index in an array.
            func nameOfNextValue() -> String {
                guard let last = levels.indices.last else { return "" }
                if levels[last].keys != nil { return levels[last].currentKey }
                defer { levels[last].nextIndex += 1 }
                return "[\(levels[last].nextIndex)]"
            }
            /// The string whose opening quote is at `position`, unescaped; `position` moves past it.
            func readString() -> String {
                position += 1
                let start = position
                var escaped = false
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    if bytes[position] == UInt8(ascii: "\\") { escaped = true; position += 1 }
                    position += 1
                }
                let text = UnsafeBufferPointer(rebasing: bytes[start..<min(position, bytes.count)])
                position += 1
                guard escaped else { return String(decoding: text, as: UTF8.self) }
                // Rare: the standard decoder unescapes it (the document parsed, so this string does).
                let quoted = Data([UInt8(ascii: "\"")] + Array(text) + [UInt8(ascii: "\"")])
                return (try? JSONDecoder().decode(String.self, from: quoted)) ?? String(decoding: text, as: UTF8.self)
            }

            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "{"):
                    levels.append(Level(name: nameOfNextValue(), keys: []))
                    expectingKey = true
                    position += 1
                case UInt8(ascii: "["):
                    levels.append(Level(name: nameOfNextValue(), keys: nil))
                    position += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    _ = levels.popLast()
                    position += 1
                case UInt8(ascii: ","):
                    expectingKey = levels.last?.keys != nil
                    position += 1
                case UInt8(ascii: ":"):
                    expectingKey = false
                    position += 1
                case UInt8(ascii: "\""):
                    if expectingKey, let last = levels.indices.last {
                        let key = readString()
                        if levels[last].keys!.contains(key) { return path(levels.map(\.name) + [key]) }
                        levels[last].keys!.insert(key)
                        levels[last].currentKey = key
                    } else {
                        _ = nameOfNextValue()
                        _ = readString()
                    }
                case 0x20, 0x0A, 0x0D, 0x09:
                    position += 1
                default:
                    // A number or literal: one value, up to the next separator.
                    _ = nameOfNextValue()
                    while position < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(bytes[position]) {
                        position += 1
                    }
                }
            }
            return nil
        }
    }
}
