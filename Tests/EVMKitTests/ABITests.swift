import EVMKit
import RailKit
import RailKitSupport
import Testing

@Suite("ABI")
struct ABITests {
    @Test("ERC-20 selectors and the Transfer topic are the well-known values")
    func selectors() {
        #expect(Hex.encode(ERC20.transfer.selector) == "a9059cbb")
        #expect(Hex.encode(ERC20.balanceOf.selector) == "70a08231")
        #expect(Hex.encode(ERC20.decimals.selector) == "313ce567")
        #expect(Hex.encode(ERC20.transferTopic) == "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
    }

    @Test("transfer call data: selector, padded address, padded amount")
    func transferCall() throws {
        let to = try EVMAddress("0x2222222222222222222222222222222222222222")
        let data = ERC20.transferCall(to: to, amount: 1_000_000)
        #expect(data.count == 4 + 64)
        #expect(Hex.encode(data) == "a9059cbb" + String(repeating: "0", count: 24) + String(repeating: "22", count: 20)
            + String(repeating: "0", count: 59) + "f4240")
    }

    @Test("Error(string) and Panic(uint256) revert data decode to their reasons")
    func revertReasons() throws {
        // Error(string) "receiver not allowlisted", as a node returns it.
        let message = Array("receiver not allowlisted".utf8)
        let data = ABIFunction("Error(string)").selector + BigEndian.padded(UInt8(32)) + BigEndian.padded(UInt64(message.count))
            + message + [UInt8](repeating: 0, count: 32 - message.count % 32)
        #expect(RevertReason(data: data) == .message("receiver not allowlisted"))
        let panic = ABIFunction("Panic(uint256)").selector + BigEndian.padded(UInt8(0x11))
        #expect(RevertReason(data: panic) == .panic(0x11))
        #expect(RevertReason(data: []) == .empty)
        #expect(RevertReason(data: [1, 2, 3, 4, 5]) == .unrecognized([1, 2, 3, 4, 5]))
    }

    @Test("decoding checks lengths and ranges")
    func decoderChecks() {
        #expect(throws: ABIError.tooShort(expected: 32, actual: 4)) { try ABIDecoder([0, 0, 0, 1]).uint(0) }
        #expect(throws: ABIError.valueTooLarge) { try ABIDecoder([UInt8](repeating: 0xFF, count: 32)).uint(0) }
        #expect(throws: ABIError.invalid("bool word is neither 0 nor 1")) { try ABIDecoder(BigEndian.padded(UInt8(2))).bool(0) }
    }
}
