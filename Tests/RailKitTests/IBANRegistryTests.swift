import DevChainTesting
import Foundation
import Testing
@testable import RailKit

@Suite("IBANs against the SWIFT IBAN Registry")
struct IBANRegistryTests {
    @Test("property: 3,000 generated IBANs of every registry country and their mutations (a BBAN character of the wrong class, a length, check digits, countries outside the registry) parse exactly as schwifty judges them")
    func crossCheckedWithSchwifty() async throws {
        let seed = UInt64.random(in: 1...1_000_000)
        let run = try await ChildProcess.run(DevChain.projectRoot.appendingPathComponent(".venv/bin/python"),
                                       [DevChain.projectRoot.appendingPathComponent("scripts/iban_registry.py").path, "cases", String(seed), "3000"])
        #expect(run.status == 0, "\(run.stderr)")
        struct Case: Decodable { var text: String; var form: String; var valid: Bool }
        let cases = try JSONDecoder().decode([Case].self, from: Data(run.stdout.utf8))
        #expect(cases.count == 3000)
        for form in ["valid", "class", "national", "territory"] {
            #expect(cases.contains { $0.form == form }, "no \(form) case with seed \(seed)")
        }
        for item in cases {
            let parsed = try? IBAN(item.text)
            #expect((parsed != nil) == item.valid, "seed \(seed), \(item.form) \(item.text): schwifty says \(item.valid ? "valid" : "invalid")")
        }
    }

    @Test("the table is the registry: every country's length is its structure's, and the generator's table is the one compiled in")
    func tableMatchesGenerator() async throws {
        let run = try await ChildProcess.run(DevChain.projectRoot.appendingPathComponent(".venv/bin/python"),
                                       [DevChain.projectRoot.appendingPathComponent("scripts/iban_registry.py").path, "swift"])
        #expect(run.status == 0, "\(run.stderr)")
        let source = try String(contentsOf: DevChain.projectRoot.appendingPathComponent("Sources/RailKit/Identifiers/IBAN+Registry.swift"), encoding: .utf8)
        #expect(source.contains(run.stdout.trimmingCharacters(in: .newlines)), "regenerate IBAN+Registry.swift with scripts/iban_registry.py swift")
        #expect(IBAN.structureByCountry.count == IBAN.bbanStructureByCountry.count)
        #expect(IBAN.structureByCountry["DE"]?.map(\.length) == [8, 10])
    }

    @Test("registry countries refused before: Åland, Honduras, Réunion")
    func newerCountries() throws {
        #expect(try IBAN("AX1558030215736819").country.code == "AX")
        #expect(try IBAN("HN14AXGN26212997220033224538").country.code == "HN")
        #expect(try IBAN("RE7854752720402ZBJYAXYL1A02").country.code == "RE")
    }

    @Test("a BBAN of the wrong structure is refused naming the position and the class, even with check digits that pass")
    func bbanStructure() throws {
        // A UK BBAN is 4 letters (the bank), a 6-digit sort code and an 8-digit account; a digit in the bank code is refused.
        let bban = "WE5T12345698765432"
        let digits = 98 - IBAN.mod97(bban + "GB00")
        let text = "GB" + (digits < 10 ? "0" : "") + String(digits) + bban
        #expect(IBAN.mod97(text.dropFirst(4) + text.prefix(4)) == 1)
        #expect { try IBAN(text) } throws: { error in
            guard let error = error as? ValidationError else { return false }
            return error.rule == "iban.bban_format" && error.message.contains("4 letters, 6 digits, 8 digits") && error.message.contains("character 7 ('5')")
        }
    }
}
