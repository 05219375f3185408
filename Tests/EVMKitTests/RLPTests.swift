import EVMKit
import Testing

@Suite("RLP")
struct RLPTests {
    // Vectors from the Ethereum RLP specification's examples.
    static let vectors: [(RLPItem, String)] = [
        (.bytes(Array("dog".utf8)), "83646f67"),
        (.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]), "c88363617483646f67"),
        (.bytes([]), "80"),
        (.list([]), "c0"),
        (.integer(UInt64(0)), "80"),
        (.bytes([0x00]), "00"),
        (.integer(UInt64(15)), "0f"),
        (.integer(UInt64(1024)), "820400"),
        (.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]), "c7c0c1c0c3c0c1c0"),
        (.bytes(Array("Lorem ipsum dolor sit amet, consectetur adipisicing elit".utf8)),
         "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974"),
    ]

    @Test("encodes the specification's examples and decodes them back")
    func specificationVectors() throws {
        for (item, hex) in Self.vectors {
            #expect(Hex.encode(item.encoded) == hex)
            #expect(try RLPItem.decode(item.encoded) == item)
        }
    }

    @Test("a long list uses the long form and round-trips")
    func longList() throws {
        let item = RLPItem.list((0..<40).map { .integer(UInt64($0) * 1000) })
        #expect(item.encoded.first == 0xF8)
        #expect(try RLPItem.decode(item.encoded) == item)
    }

    @Test("rejects truncated, trailing and non-canonical input")
    func rejectsBadInput() {
        #expect(throws: RLPError.truncated) { try RLPItem.decode([0x83, 0x64, 0x6f]) }
        #expect(throws: RLPError.trailingBytes(1)) { try RLPItem.decode([0x80, 0x80]) }
        #expect(throws: RLPError.nonCanonical("single byte below 0x80 with a prefix")) { try RLPItem.decode([0x81, 0x05]) }
        #expect(throws: RLPError.nonCanonical("long form for a length below 56")) { try RLPItem.decode([0xB8, 0x01, 0x61]) }
    }
}

import RailKit
import RailKitSupport
