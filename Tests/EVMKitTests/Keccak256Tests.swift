import Foundation
import Testing
import RailKitSupport
@testable import EVMKit

@Suite("Keccak-256")
struct Keccak256Tests {
    struct Vectors: Decodable {
        struct Vector: Decodable {
            var input: String
            var keccak256: String
            var sha3_256: String
        }
        var vectors: [Vector]
    }

    @Test("published vectors")
    func published() {
        #expect(Hex.encode(Keccak256.hash("")) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hex.encode(Keccak256.hash("abc")) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        // The ERC-20 Transfer event topic and transfer(address,uint256) selector.
        #expect(Hex.encode(Keccak256.hash("Transfer(address,address,uint256)")) == "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(Hex.encode(Keccak256.hash("transfer(address,uint256)").prefix(4)) == "a9059cbb")
        // FIPS 202 SHA3-256 of the empty string, through the same permutation.
        #expect(Hex.encode(Keccak256.sha3_256([UInt8]())) == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    @Test("matches pycryptodome and hashlib across the 136-byte block boundary")
    func crossChecked() throws {
        let url = try #require(Bundle.module.url(forResource: "keccak-vectors", withExtension: "json", subdirectory: "Fixtures"))
        let vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url)).vectors
        #expect(vectors.count >= 30)
        for vector in vectors {
            let input = try #require(Hex.decode(vector.input))
            #expect(Hex.encode(Keccak256.hash(input)) == vector.keccak256, "length \(input.count)")
            #expect(Hex.encode(Keccak256.sha3_256(input)) == vector.sha3_256, "length \(input.count)")
        }
    }
}
