import Foundation
import RailKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension QuoteID {
    /// A new unguessable quote id, `q_` and a random (version 4) UUID in lower case: the form
    /// quote ids have always had. Its 122 random bits come from the kernel's CSPRNG like
    /// `UUID()`'s, drawn in 4 KiB blocks: a routing decision makes one id per rail, and a system
    /// call for each cost more than the rest of a config-only quote.
    public static func random() -> QuoteID {
        var bytes = RandomBytePool.shared.take16()
        bytes.6 = (bytes.6 & 0x0F) | 0x40  // version 4
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 9562 variant
        // Written straight into the string's storage: one allocation (the id itself), where an
        // intermediate byte array and a digit table cost two more for every rail of every decision.
        let text = String(unsafeUninitializedCapacity: 38) { buffer in
            withUnsafeBytes(of: bytes) { raw in
                buffer[0] = UInt8(ascii: "q")
                buffer[1] = UInt8(ascii: "_")
                var count = 2
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    buffer[count] = hexDigit(byte >> 4)
                    buffer[count + 1] = hexDigit(byte & 0x0F)
                    count += 2
                }
                return count
            }
        }
        return QuoteID(text)
    }

    /// The lower-case hexadecimal digit of `nibble` (0...15).
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

/// Random bytes from the kernel, fetched in blocks and handed out once each. Eight blocks, each
/// behind its own lock, picked by the calling thread: decisions on two cores drew from one lock
/// and spent their time waiting for each other. A forked child never hands out its parent's bytes:
/// the blocks it inherited are dropped.
final class RandomBytePool: Sendable {
    static let shared = RandomBytePool()

    /// Bumped in a forked child (`pthread_atfork`), so every inherited block is refilled.
    private static let forks = Atomic<Int>(0)

    private struct Block {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var offset = 4096
        var generation = 0
    }
    private final class Shard: Sendable {
        let block = Mutex(Block())
        /// Keeps two shards' locks off one cache line.
        let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }
    private let shards = (0..<8).map { _ in Shard() }

    init() {
        #if canImport(Glibc)
        pthread_atfork(nil, nil) { RandomBytePool.forks.add(1, ordering: .relaxed) }
        #endif
    }

    typealias Sixteen = (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    func take16() -> Sixteen {
        #if canImport(Glibc)
        let thread = UInt64(pthread_self())
        #else
        let thread = UInt64(0)
        #endif
        let shard = shards[Int((thread &* 0x9E37_79B9_7F4A_7C15) >> 61)]
        let generation = Self.forks.load(ordering: .relaxed)
        return shard.block.withLock { block in
            if block.offset + 16 > block.bytes.count || block.generation != generation {
                block.bytes.withUnsafeMutableBytes(Self.fill)
                block.offset = 0
                block.generation = generation
            }
            defer { block.offset += 16 }
            return block.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: block.offset, as: Sixteen.self) }
        }
    }

    /// `buffer` from the kernel's CSPRNG: `getentropy` 256 bytes a call (no file descriptor to
    /// keep open), or the standard library's generator if that fails.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        var filled = 0
        while filled < buffer.count {
            let count = min(256, buffer.count - filled)
            guard getentropy(buffer.baseAddress! + filled, count) == 0 else { break }
            filled += count
        }
        if filled == buffer.count { return }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in stride(from: 0, to: buffer.count, by: 8) {
            buffer.storeBytes(of: generator.next(), toByteOffset: index, as: UInt64.self)
        }
    }
}
