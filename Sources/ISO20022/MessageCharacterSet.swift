import Foundation

/// The characters a scheme's messages may carry in names, addresses and remittance text.
///
/// CBPR+ (SWIFT) allows its extended Latin set only (``SWIFTText``). CIPS, China's cross-border
/// RMB system, carries messages in Chinese as well as English: names and addresses in Chinese
/// characters go as written, so a mainland company's registered name needs no romanisation.
public enum MessageCharacterSet: String, Sendable, Codable, CaseIterable {
    /// The SWIFT extended character set (CBPR+), with Latin transliteration.
    case swift
    /// The SWIFT set plus Chinese characters and CJK punctuation (CIPS).
    case cips

    /// `text` made valid for a field of at most `maxLength` characters under this set.
    ///
    /// - Throws: ``ISO20022Error/unrepresentableText(field:rule:detail:)`` naming `field` and the
    ///   character when a character is outside the set and has no transliteration.
    public func sanitize(_ text: String, field: String, maxLength: Int) throws(ISO20022Error) -> String {
        switch self {
        case .swift:
            return try SWIFTText.sanitize(text, field: field, maxLength: maxLength)
        case .cips:
            guard text.contains(where: Self.isChinese) else { return try SWIFTText.sanitize(text, field: field, maxLength: maxLength) }
            // Every kind of space (the ideographic one, tabs, line breaks) is one plain space.
            let text = String(text.map { $0.isWhitespace ? " " : $0 })
            // Latin runs still go through SWIFT transliteration; Chinese characters and CJK
            // punctuation are kept as written.
            var output = ""
            var latin = ""
            func flush() throws(ISO20022Error) {
                guard !latin.isEmpty else { return }
                let trimmed = latin.trimmingCharacters(in: .whitespaces)
                let leading = latin.first == " " ? " " : "", trailing = latin.last == " " && latin.count > 1 ? " " : ""
                output += leading + (trimmed.isEmpty ? "" : try SWIFTText.sanitize(trimmed, field: field, maxLength: Int.max)) + trailing
                latin = ""
            }
            for character in text {
                if Self.isChinese(character) {
                    try flush()
                    output.append(character)
                } else {
                    latin.append(character)
                }
            }
            try flush()
            let collapsed = output.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            guard !collapsed.isEmpty else {
                throw .unrepresentableText(field: field, rule: "cips.text_not_empty", detail: "text is empty after trimming spaces")
            }
            guard collapsed.count <= maxLength else {
                throw .unrepresentableText(field: field, rule: "cips.max_length", detail: "\(collapsed.count) characters, at most \(maxLength) allowed")
            }
            return collapsed
        }
    }

    /// Whether `text` fits this set as it is (no transliteration needed): what a receiving bank checks.
    public func accepts(_ text: String) -> Bool {
        text.allSatisfy { SWIFTText.allowed.contains($0) || (self == .cips && Self.isChinese($0)) }
    }

    /// A CJK unified ideograph (basic block and extension A), CJK punctuation (the ideographic
    /// space aside: spaces are spaces), a full-width form (，（）：), or the middle dot of
    /// transcribed foreign names (约翰·史密斯), as Chinese text uses them.
    static func isChinese(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3001...0x303F, 0xFF01...0xFF5E, 0x00B7: true
            default: false
            }
        }
    }
}
