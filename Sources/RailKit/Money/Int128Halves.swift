/// A signed 128-bit integer stored as two 64-bit halves, so the value it sits in needs no
/// 16-byte alignment.
///
/// Swift 6.3 on Linux x86_64 miscompiles some `async` functions whose frames hold 16-byte-aligned
/// values: a task is resumed at address 0 (seen with `Money` holding an `Int128`, and with
/// EVMKit's `Wei`, which splits its `UInt128` the same way). Which layouts trigger it is not
/// known, and an amount sits in nearly every async frame of a payment, so amounts and decimals
/// store their integers this way.
struct Int128Halves: Sendable, Hashable {
    let high: Int64
    let low: UInt64

    init(_ value: Int128) {
        high = Int64(truncatingIfNeeded: value >> 64)
        low = UInt64(truncatingIfNeeded: value)
    }

    /// The value: the high half sign-extended, the low half added as its unsigned bits.
    var value: Int128 { Int128(high) << 64 | Int128(low) }
}
