import Foundation
import RailKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension QuoteID {
    /// A new unguessable quote id, `q_` and a random (version 4) UUID in lower case: the form
    /// quote ids have always had. Its 122 random bits come from the kernel's CSPRNG like
    /// `UUID()`'s, read 4 KiB at a time from /dev/urandom: a routing decision makes one id per rail, and a system
    /// call for each cost more than the rest of a config-only quote.
    public static func random() -> QuoteID {
        var bytes = RandomBytePool.shared.take16()
        bytes.6 = (bytes.6 & 0x0F) | 0x40  // version 4
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 9562 variant
        return withUnsafeBytes(of: bytes) { raw in
            let digits = Array("0123456789abcdef".utf8)
            var text = [UInt8]()
            text.reserveCapacity(38)
            text += [UInt8(ascii: "q"), UInt8(ascii: "_")]
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return QuoteID(String(decoding: text, as: UTF8.self))
        }
    }
}

/// Random bytes from the kernel, fetched in blocks and handed out once each. Eight blocks, each
/// behind its own lock, picked by the calling thread: decisions on two cores drew from one lock
/// and spent their time waiting for each other.
final class RandomBytePool: Sendable {
    static let shared = RandomBytePool()

    private struct Block {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var offset = 4096
    }
    private final class Shard: Sendable {
        let block = Mutex(Block())
        /// Keeps two shards' locks off one cache line.
        let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }
    private let shards = (0..<8).map { _ in Shard() }
    /// The kernel's CSPRNG as a file (`getrandom` is not in Swift's Glibc module); -1 if it cannot be opened.
    private let urandom: Int32

    init() {
        #if canImport(Glibc)
        urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        #else
        urandom = -1
        #endif
    }

    deinit { if urandom >= 0 { close(urandom) } }

    typealias Sixteen = (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    func take16() -> Sixteen {
        #if canImport(Glibc)
        let thread = UInt64(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))))
        #else
        let thread = UInt64(0)
        #endif
        let shard = shards[Int((thread &* 0x9E37_79B9_7F4A_7C15) >> 61)]
        return shard.block.withLock { block in
            if block.offset + 16 > block.bytes.count {
                block.bytes.withUnsafeMutableBytes { buffer in
                    var filled = 0
                    while urandom >= 0, filled < buffer.count {
                        let count = read(urandom, buffer.baseAddress! + filled, buffer.count - filled)
                        if count > 0 { filled += count } else if count == 0 || errno != EINTR { break }
                    }
                    guard filled < buffer.count else { return }
                    // Without the file (or if it failed): the standard library's CSPRNG, 8 bytes a call.
                    var generator = SystemRandomNumberGenerator()
                    for index in stride(from: 0, to: buffer.count, by: 8) {
                        buffer.storeBytes(of: generator.next(), toByteOffset: index, as: UInt64.self)
                    }
                }
                block.offset = 0
            }
            defer { block.offset += 16 }
            return block.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: block.offset, as: Sixteen.self) }
        }
    }
}
