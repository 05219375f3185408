import EVMKit
import Foundation
import RailKit
import RailKitSupport
import Testing

@Suite("Signing")
struct SigningTests {
    @Test("key 1's address is the well-known 0x7E5F…5Bdf")
    func knownAddress() throws {
        let key = try PrivateKey(hex: "0x" + String(repeating: "0", count: 63) + "1")
        #expect(key.address.checksummed == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
    }

    @Test("invalid keys are refused: zero, the curve order, wrong length, not hex")
    func invalidKeys() {
        let order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
        for text in [String(repeating: "0", count: 64), order, "01", "zz" + String(repeating: "0", count: 62)] {
            #expect(throws: SigningError.invalidPrivateKey) { try PrivateKey(hex: text) }
        }
    }

    @Test("a signature recovers to the signer's address")
    func recovery() throws {
        let key = try PrivateKey(hex: "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let digest = Keccak256.hash("switchyard")
        let signature = try key.sign(digest: digest)
        #expect(signature.recoverSigner(digest: digest) == key.address)
        #expect(signature.recoverSigner(digest: Keccak256.hash("other")) != key.address)
    }

    @Test("a key never shows in descriptions")
    func keyRedacted() throws {
        let secret = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
        let key = try PrivateKey(hex: secret)
        let signer = LocalKeySigner(key: key)
        for text in [String(describing: key), String(reflecting: key), String(describing: signer)] {
            #expect(!text.contains(secret))
            #expect(!text.contains("4c0883a6"))
        }
    }

    @Test("a key file must be readable by its owner only")
    func keyFilePermissions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-key-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
        let path = directory.appendingPathComponent("signer.key").path
        try (secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = #expect(throws: SigningError.self) { try LocalKeySigner.fromFile(path) }
        #expect(error?.description.contains("mode 644") == true)
        #expect(error?.description.contains(secret) == false)

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try LocalKeySigner.fromFile(path).address == PrivateKey(hex: secret).address)
    }

    @Test("an environment key: missing and malformed are errors that do not echo the value")
    func environmentKey() throws {
        #expect(throws: SigningError.keyUnavailable("environment variable SIGNER_KEY is not set")) {
            try LocalKeySigner.fromEnvironment("SIGNER_KEY", environment: [:])
        }
        let error = #expect(throws: SigningError.self) {
            try LocalKeySigner.fromEnvironment("SIGNER_KEY", environment: ["SIGNER_KEY": "0xdeadbeefcafe"])
        }
        #expect(error?.description.contains("deadbeef") == false)
        let signer = try LocalKeySigner.fromEnvironment("SIGNER_KEY", environment: ["SIGNER_KEY": String(repeating: "0", count: 63) + "2"])
        #expect(signer.address.checksummed == "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")
    }

    @Test("a signed transaction decodes back to its fields and recovers to the signer")
    func decodeRoundTrip() async throws {
        let signer = LocalKeySigner(key: try PrivateKey(hex: String(repeating: "0", count: 63) + "3"))
        let transaction = EIP1559Transaction(chainID: 8453, nonce: 7, maxPriorityFeePerGas: 1_000_000, maxFeePerGas: 50_000_000,
                                             gasLimit: 80_000, to: try EVMAddress("0x2222222222222222222222222222222222222222"),
                                             data: ERC20.transferCall(to: signer.address, amount: 5))
        let signed = try await signer.sign(transaction)
        let (decoded, signature) = try SignedTransaction.decode(raw: signed.raw)
        #expect(decoded.transaction == transaction)
        #expect(signature.recoverSigner(digest: transaction.signingHash) == signer.address)
    }

    @Test("the created contract's address follows keccak(rlp([sender, nonce]))")
    func contractAddress() throws {
        // Expected values from eth_utils: keccak(rlp.encode([sender, nonce]))[12:].
        let sender = try EVMAddress("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
        #expect(EIP1559Transaction.createdContractAddress(sender: sender, nonce: 0).checksummed
                == "0xF2E246BB76DF876Cef8b38ae84130F4F55De395b")
        #expect(EIP1559Transaction.createdContractAddress(sender: sender, nonce: 300).checksummed
                == "0x298fd1267Eb53B29F887CA79748E05160AB4A9EB")
    }
}
