import Foundation

/// Text for CBPR+ messages: the SWIFT extended character set, trimmed, with length limits.
///
/// CBPR+ restricts free text to `a–z A–Z 0–9 / - ? : ( ) . , ' + ! # $ % & * = ^ _ ` { | } ~ " ; < > @ [ \ ]`
/// and space, with no leading or trailing space. Text outside that set is transliterated where a
/// faithful Latin form exists (accents removed, `ß` → `ss`, typographic quotes and dashes to
/// ASCII); anything else (Chinese characters, emoji) is refused with the field and the character,
/// so a payment is never sent with a mangled name.
public enum SWIFTText {
    /// The CBPR+ extended character set, space included.
    public static let allowed: Set<Character> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+!#$%&*=^_`{|}~\";<>@[\\] ")

    /// Letters and punctuation with a conventional ASCII spelling that canonical decomposition misses.
    private static let replacements: [Character: String] = [
        "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
        "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i",
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2013}": "-", "\u{2014}": "-",
        "\u{2026}": "...", "\u{00A0}": " ", "\t": " ", "\n": " ", "\r": " ",
    ]

    /// The text made valid for a CBPR+ field of at most `maxLength` characters.
    ///
    /// - Throws: ``ISO20022Error/unrepresentableText(field:rule:detail:)`` naming `field` when a
    ///   character has no SWIFT form, the text is empty, or it is longer than `maxLength` after
    ///   transliteration (truncating a name or reference would change its meaning).
    public static func sanitize(_ text: String, field: String, maxLength: Int) throws(ISO20022Error) -> String {
        if isPrintableASCIIAsIs(text, maxLength: maxLength) { return text }
        return try transliterate(text, field: field, maxLength: maxLength)
    }

    /// ``sanitize(_:field:maxLength:)`` character by character.
    static func transliterate(_ text: String, field: String, maxLength: Int) throws(ISO20022Error) -> String {
        var output = ""
        for character in text {
            if allowed.contains(character) {
                output.append(character)
            } else if let replacement = replacements[character] {
                output += replacement
            } else if let stripped = strippingMarks(character), stripped.allSatisfy(allowed.contains) {
                output += stripped
            } else {
                let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
                throw .unrepresentableText(
                    field: field, rule: "cbpr.character_set",
                    detail: "character '\(character)' (\(scalars)) is outside the SWIFT character set and has no Latin transliteration; supply the name in Latin script")
            }
        }
        let collapsed = output.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard !collapsed.isEmpty else {
            throw .unrepresentableText(field: field, rule: "cbpr.text_not_empty", detail: "text is empty after trimming spaces")
        }
        guard collapsed.count <= maxLength else {
            throw .unrepresentableText(field: field, rule: "cbpr.max_length",
                                       detail: "\(collapsed.count) characters, at most \(maxLength) allowed")
        }
        return collapsed
    }

    /// Whether `text` is already what ``sanitize(_:field:maxLength:)`` would make of it, checked on
    /// its bytes: printable ASCII (which is exactly the allowed set), no leading, trailing or
    /// doubled space, not empty, within `maxLength`. Most names are; they skip the per-character
    /// work, which a routing decision would otherwise pay on every SWIFT rail.
    static func isPrintableASCIIAsIs(_ text: String, maxLength: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20, bytes.count <= maxLength else { return false }
            var previous: UInt8 = 0
            for byte in bytes {
                guard (0x20...0x7E).contains(byte), !(byte == 0x20 && previous == 0x20) else { return false }
                previous = byte
            }
            return true
        }
    }

    /// Whether `text` is already valid CBPR+ text (used when reading messages back).
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(allowed.contains) && text.first != " " && text.last != " "
    }

    /// Whether `text` is a valid CBPR+ reference (message id, end-to-end id …): 1–35 SWIFT
    /// characters, not starting or ending with `/`, without `//`.
    public static func isReference(_ text: String) -> Bool {
        (1...35).contains(text.count) && isValid(text) && !text.hasPrefix("/") && !text.hasSuffix("/") && !text.contains("//")
    }

    /// The character without combining marks (é → e), or nil if nothing but marks remain.
    private static func strippingMarks(_ character: Character) -> String? {
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark
        }
        guard !base.isEmpty else { return nil }
        return String(String.UnicodeScalarView(base))
    }
}
