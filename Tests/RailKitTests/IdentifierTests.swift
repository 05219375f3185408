import Testing
@testable import RailKit
import RailKitTesting

@Suite("Identifiers")
struct IdentifierTests {
    @Test("valid BICs", arguments: ["DEUTDEFF", "DEUTDEFF500", "CHASUS33", "HSBCHKHHHKH", "BKCHCNBJ"])
    func validBIC(code: String) throws {
        #expect(try BIC(code).bic11.count == 11)
    }

    @Test("invalid BICs name the rule", arguments: ["DEUTDEF", "deutdeff", "DEU1DEFF", "DEUTZZFF", "DEUTDEFF5", "DEUTDEFF50!"])
    func invalidBIC(code: String) {
        #expect { try BIC(code, field: "creditor.accounts.bic") } throws: {
            ($0 as? ValidationError)?.field == "creditor.accounts.bic" && ($0 as? ValidationError)?.rule == "bic.format"
        }
    }

    @Test("valid IBANs (registry examples)", arguments: [
        "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300",
    ])
    func validIBAN(text: String) throws {
        let iban = try IBAN(text)
        #expect(iban.printed.replacingOccurrences(of: " ", with: "") == iban.electronic)
    }

    @Test("invalid IBANs", arguments: [
        ("GB82WEST12345698765433", "iban.checksum"), ("GB82WEST1234569876543", "iban.length"),
        ("US12345678901234567890", "iban.country"), ("HK12345678901234", "iban.country"), ("gb82west12345698765432", "iban.format"),
    ])
    func invalidIBAN(text: String, rule: String) {
        #expect { try IBAN(text) } throws: { ($0 as? ValidationError)?.rule == rule }
    }

    @Test("LEIs: GLEIF's own and check-digit failures")
    func leis() throws {
        #expect(try LEI("506700GE1G29325QX363").code == "506700GE1G29325QX363")
        #expect(try LEI("529900T8BM49AURSDO55").code.count == 20)
        #expect { try LEI("506700GE1G29325QX364") } throws: { ($0 as? ValidationError)?.rule == "lei.checksum" }
        #expect { try LEI("506700GE1G29325QX3") } throws: { ($0 as? ValidationError)?.rule == "lei.format" }
    }

    @Test("EIP-55 checksums (the EIP's own vectors)", arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
    func eip55(text: String) throws {
        let address = try EVMAddress(text)
        #expect(address.checksummed == text)
        #expect(try EVMAddress(text.lowercased()).checksummed == text)
    }

    @Test("a mistyped checksummed address is rejected")
    func badChecksum() {
        #expect { try EVMAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") } throws: { ($0 as? ValidationError)?.rule == "evm_address.checksum" }
        #expect { try EVMAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA") } throws: { ($0 as? ValidationError)?.rule == "evm_address.format" }
        #expect { try EVMAddress("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00") } throws: { ($0 as? ValidationError)?.rule == "evm_address.format" }
    }

    @Test("UETRs are lower-case UUID v4")
    func uetr() throws {
        #expect(try UETR("eb6305c9-1f7f-49de-aed0-16487c27b42d").value.count == 36)
        for bad in ["EB6305C9-1F7F-49DE-AED0-16487C27B42D", "eb6305c9-1f7f-19de-aed0-16487c27b42d", "eb6305c9-1f7f-49de-ced0-16487c27b42d", "eb6305c91f7f49deaed016487c27b42d"] {
            #expect(throws: ValidationError.self) { try UETR(bad) }
        }
        var random = SeededRandom(seed: 5)
        for _ in 0..<500 {
            let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(try UETR(UETR(bytes: bytes).value).value == UETR(bytes: bytes).value)
        }
        #expect(try UETR(UETR.random().value) != UETR.random())
    }

    @Test("ISO 3166 countries")
    func countries() throws {
        #expect(CountryCode.assigned.count == 250)  // 249 assigned + XK
        #expect(try CountryCode("HK") == .hongKong)
        #expect { try CountryCode("hk") } throws: { ($0 as? ValidationError)?.message.contains("upper case") == true }
        #expect(throws: ValidationError.self) { try CountryCode("UK") }
    }
}
