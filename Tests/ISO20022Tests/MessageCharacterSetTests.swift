import ISO20022
import Testing

@Suite("Character sets: CBPR+ (SWIFT) and CIPS")
struct MessageCharacterSetTests {
    @Test("CIPS keeps Chinese as written and transliterates Latin as SWIFT does; every space is one plain space; the result is what a receiving bank accepts", arguments: [
        ("深圳精密零件有限公司", "深圳精密零件有限公司"),
        ("Shenzhen 精密 Parts", "Shenzhen 精密 Parts"),
        ("深圳\n公司", "深圳 公司"),
        ("深圳\t公司", "深圳 公司"),
        ("深圳\u{3000}公司", "深圳 公司"),
        ("  深圳　公司  ", "深圳 公司"),
        ("约翰·史密斯贸易", "约翰·史密斯贸易"),
        ("Société 深圳", "Societe 深圳"),
        ("（深圳）有限公司", "（深圳）有限公司"),
    ])
    func cips(input: String, expected: String) throws {
        let sanitized = try MessageCharacterSet.cips.sanitize(input, field: "name", maxLength: 140)
        #expect(sanitized == expected)
        #expect(MessageCharacterSet.cips.accepts(sanitized))
        #expect(!MessageCharacterSet.swift.accepts(sanitized) || !sanitized.contains(where: { !$0.isASCII }))
    }

    @Test("CIPS refuses what it cannot carry, naming the field: other scripts, emoji, blank text, too long")
    func cipsRefusals() {
        for text in ["深圳 Шэньчжэнь", "深圳 😀", "\u{3000}\u{3000}", String(repeating: "深", count: 141)] {
            #expect(throws: ISO20022Error.self) { try MessageCharacterSet.cips.sanitize(text, field: "creditor.name", maxLength: 140) }
        }
        #expect(!MessageCharacterSet.cips.accepts("深圳\u{3000}公司"), "a bank reads the ideographic space as outside the set: the rail sends a plain one")
    }

    @Test("SWIFT refuses Chinese characters (supply a Latin name) and accepts only its own set")
    func swift() {
        #expect(throws: ISO20022Error.self) { try MessageCharacterSet.swift.sanitize("深圳精密零件有限公司", field: "creditor.name", maxLength: 140) }
        #expect(!MessageCharacterSet.swift.accepts("深圳"))
        #expect(MessageCharacterSet.swift.accepts("Harbour Supply Ltd"))
    }
}
