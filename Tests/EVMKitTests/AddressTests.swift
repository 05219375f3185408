import DevChainTesting
import Foundation
import RailKit
import RailKitSupport
import Testing
@testable import EVMKit

@Suite("EVM addresses")
struct AddressTests {
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

    @Test("RailKit's chain-agnostic address keeps exactly what was typed; EVMKit checks the checksum")
    func chainAddress() throws {
        let base = ChainID(evm: 8453)
        #expect(base.description == "eip155:8453" && base.evmChainID == 8453)
        let typed = try ChainAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", on: base)
        #expect(try EVMAddress(typed).checksummed == typed.text)
        #expect(typed == (try ChainAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", on: base)))
        for bad in ["0x0x5aAeb6053F3E94C9b9A09f33669435E7Ef1B", "0x+aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00"] {
            #expect { try ChainAddress(bad, on: base) } throws: { ($0 as? ValidationError)?.rule == "evm_address.format" }
        }
        #expect { try EVMAddress(try ChainAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", on: base)) } throws: {
            ($0 as? ValidationError)?.rule == "evm_address.checksum"
        }
        // Where an intent enters, a mistyped checksum is bad input naming the wallet's path.
        var intent = try PaymentIntent(
            debtor: Party(name: "Acme", country: .unitedStates, accounts: AccountDetails(wallets: [Wallet(chain: base, address: typed)])),
            creditor: Party(name: "Harbour", country: .hongKong,
                            accounts: AccountDetails(wallets: [Wallet(chain: base, address: ChainAddress(uncheckedText: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))])),
            sourceCurrency: .usd, destinationCurrency: .usd, amount: PaymentAmount(try .fiat("10.00", .usd), fixed: .send))
        #expect { try intent.checkEVMAddresses() } throws: { ($0 as? ValidationError)?.field == "creditor.accounts.wallets[0].address" }
        intent.creditor.accounts.wallets = []
        try intent.checkEVMAddresses()
    }

    @Test("an address is exactly 0x and 40 hex digits: 2,000 generated strings (valid, a doubled prefix, a sign, another script's digit, a bad checksum…) parse exactly as eth-utils judges them, to the same address")
    func crossCheckedWithEthUtils() async throws {
        let seed = UInt64.random(in: 1...1_000_000)
        let run = try await ChildProcess.run(DevChain.projectRoot.appendingPathComponent(".venv/bin/python"),
                                       [DevChain.projectRoot.appendingPathComponent("scripts/evm_address_cases.py").path, String(seed), "2000"])
        #expect(run.status == 0, "\(run.stderr)")
        struct Case: Decodable { var text: String; var form: String; var valid: Bool; var normalized: String? }
        let cases = try JSONDecoder().decode([Case].self, from: Data(run.stdout.utf8))
        #expect(cases.count == 2000 && cases.contains { $0.valid } && cases.contains { !$0.valid })
        for item in cases {
            let parsed = try? EVMAddress(item.text)
            #expect((parsed != nil) == item.valid, "seed \(seed), \(item.form) \(item.text.debugDescription): eth-utils says \(item.valid ? "valid" : "invalid")")
            if let parsed, let normalized = item.normalized {
                #expect(parsed.lowercased == normalized, "seed \(seed), \(item.text): decoded to \(parsed.lowercased), not \(normalized)")
            }
        }
        // The two the issue names, spelled out.
        #expect(throws: ValidationError.self) { try EVMAddress("0x0x" + String(repeating: "ab", count: 19)) }
        #expect(throws: ValidationError.self) { try EVMAddress("0x+f" + String(repeating: "0", count: 38)) }
        #expect(throws: ValidationError.self) { try CountryCode("H\u{041A}") }  // Cyrillic Ka for K
    }
}
