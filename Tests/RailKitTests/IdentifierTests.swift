import Foundation
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
        ("GB82WEST12345698765433", "iban.checksum"), ("GB82WEST1234569876543", "iban.length"), ("GB00WEST12345698765432", "iban.check_digits"),
        ("GB99WEST12345698765432", "iban.check_digits"),
        ("US12345678901234567890", "iban.country"), ("HK12345678901234", "iban.country"), ("gb82west12345698765432", "iban.format"),
    ])
    func invalidIBAN(text: String, rule: String) {
        #expect { try IBAN(text) } throws: { ($0 as? ValidationError)?.rule == rule }
    }

    @Test("EIP-155 chain ids are 1 to floor(2^64/2)-36 in decimal without leading zeros (EIP-2294); other namespaces keep CAIP-2's rule")
    func chainIDRange() throws {
        #expect(try ChainID("eip155:8453").reference == "8453")
        #expect(try ChainID("eip155:\(ChainID.maximumEIP155)").reference == String(ChainID.maximumEIP155))
        for text in ["eip155:0", "eip155:08453", "eip155:\(ChainID.maximumEIP155 + 1)", "eip155:abc", "eip155:-1"] {
            #expect { try ChainID(text) } throws: { ($0 as? ValidationError)?.rule == "chain_id.range" || ($0 as? ValidationError)?.rule == "chain_id.format" }
        }
        #expect { try JSONDecoder().decode(ChainID.self, from: Data("0".utf8)) } throws: { ($0 as? ValidationError)?.rule == "chain_id.range" }
        #expect(try ChainID("cosmos:cosmoshub-4").reference == "cosmoshub-4")
    }

    @Test("LEIs: GLEIF's own and check-digit failures")
    func leis() throws {
        #expect(try LEI("506700GE1G29325QX363").code == "506700GE1G29325QX363")
        #expect(try LEI("529900T8BM49AURSDO55").code.count == 20)
        #expect { try LEI("506700GE1G29325QX364") } throws: { ($0 as? ValidationError)?.rule == "lei.checksum" }
        #expect { try LEI("506700GE1G29325QX3") } throws: { ($0 as? ValidationError)?.rule == "lei.format" }
    }

    @Test("ISO 3166 countries")
    func countries() throws {
        #expect(CountryCode.assigned.count == 250)  // 249 assigned + XK
        #expect(try CountryCode("HK") == .hongKong)
        #expect { try CountryCode("hk") } throws: { ($0 as? ValidationError)?.message.contains("upper case") == true }
        #expect(throws: ValidationError.self) { try CountryCode("UK") }
    }
}
