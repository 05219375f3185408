import RailKit
import RailKitSupport
import RailKitTesting
import Testing
@testable import ISO20022

@Suite("UETR")
struct UETRTests {
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

}
