import DevChainTesting
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

/// Our signed transactions must be byte-identical to eth-account's for the same inputs.
@Suite("Cross-check against eth-account")
struct EthAccountCrossCheckTests {
    struct Case: Codable {
        var privateKey: String
        var chainId: String
        var nonce: String
        var maxPriorityFeePerGas: String
        var maxFeePerGas: String
        var gas: String
        var to: String
        var value: String
        var data: String
    }

    struct Reference: Decodable {
        var raw: String
        var hash: String
        var from: String
    }

    /// Random inputs with a logged seed, so a failure can be replayed.
    static func randomCases(count: Int, seed: UInt64) -> [Case] {
        var generator = SeededRandom(seed: seed)
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) } }
        func integer(bits: Int) -> UInt128 {
            // Mix tiny, boundary and large values: RLP's edge cases sit at 0, 0x7f, 0x80 and byte lengths.
            switch UInt8.random(in: 0...4, using: &generator) {
            case 0: return 0
            case 1: return UInt128([0x7F, 0x80, 0xFF, 0x100][Int.random(in: 0...3, using: &generator)])
            default:
                let width = Int.random(in: 1...bits, using: &generator)
                return UInt128.random(in: 0...(width == 128 ? .max : (UInt128(1) << width) - 1), using: &generator)
            }
        }
        return (0..<count).map { _ in
            var key: [UInt8]
            repeat { key = bytes(32) } while (try? PrivateKey(bytes: key)) == nil
            let createsContract = Int.random(in: 0..<8, using: &generator) == 0
            return Case(
                privateKey: "0x" + Hex.encode(key),
                chainId: String(UInt64(integer(bits: 63)) + 1),
                nonce: String(UInt64(integer(bits: 63))),
                maxPriorityFeePerGas: String(integer(bits: 128)),
                maxFeePerGas: String(integer(bits: 128)),
                gas: String(UInt64(integer(bits: 63))),
                to: createsContract ? "" : EVMAddress(bytes: bytes(20)).checksummed,
                value: String(integer(bits: 128)),
                data: "0x" + Hex.encode(bytes(Int.random(in: 0...300, using: &generator))))
        }
    }

    @Test("random keys, nonces, fees and chain ids sign to eth-account's exact bytes")
    func signedBytesMatch() async throws {
        let seed = UInt64.random(in: .min ... .max)
        let cases = Self.randomCases(count: 60, seed: seed)
        let references = try await Self.runEthAccount(cases)
        try #require(references.count == cases.count)
        for (input, reference) in zip(cases, references) {
            let signer = LocalKeySigner(key: try PrivateKey(hex: input.privateKey))
            let transaction = EIP1559Transaction(
                chainID: UInt64(input.chainId)!, nonce: UInt64(input.nonce)!,
                maxPriorityFeePerGas: UInt128(input.maxPriorityFeePerGas)!, maxFeePerGas: UInt128(input.maxFeePerGas)!,
                gasLimit: UInt64(input.gas)!, to: input.to.isEmpty ? nil : try EVMAddress(input.to),
                value: UInt128(input.value)!, data: Hex.decode(input.data)!)
            let signed = try await signer.sign(transaction)
            #expect(signed.rawHex == reference.raw, "seed \(seed): raw bytes differ for \(input)")
            #expect(signed.hashHex == reference.hash, "seed \(seed)")
            #expect(signer.address.checksummed == reference.from, "seed \(seed)")
        }
    }

    static func runEthAccount(_ cases: [Case]) async throws -> [Reference] {
        let result = try await ChildProcess.run(DevChain.projectRoot.appendingPathComponent(".venv/bin/python"),
                                          [DevChain.projectRoot.appendingPathComponent("scripts/devchain/sign_reference.py").path],
                                          stdin: try JSONEncoder().encode(cases))
        try #require(result.status == 0, "sign_reference.py failed: \(result.stderr)")
        let data = Data(result.stdout.utf8)
        return try JSONDecoder().decode([Reference].self, from: data)
    }
}
