import Foundation
import Synchronization

/// Runs helper processes from tests without pipes' pitfalls: a test process has many children
/// (dev chains, xmllint, the CLI), and a signal from one ending can interrupt a pipe read, which
/// Foundation's `FileHandle` turns into a trap. Output goes through files; lines are read with
/// POSIX `read`, retried on `EINTR`.
public enum ChildProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// ``runBlocking(_:_:stdin:environment:directory:timeout:)`` on a thread of its own: waiting for
    /// the child never holds one of the few task threads, which a server in the test's own process
    /// (a rail host, a simulator) needs to answer meanwhile.
    public static func run(_ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                           directory: URL? = nil, timeout: Duration = .seconds(300)) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try runBlocking(executable, arguments, stdin: stdin, environment: environment, directory: directory, timeout: timeout)
                })
            }
        }
    }

    /// Runs `executable` to completion with `stdin` as its input, blocking the calling thread.
    /// - Parameter timeout: how long it may run; then it is killed and ``ChildProcessError/timedOut``
    ///   thrown, so a hung child fails its test instead of stalling CI.
    public static func runBlocking(_ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                           directory: URL? = nil, timeout: Duration = .seconds(300)) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["in", "out", "err"].map { folder.appendingPathComponent($0) }
        FileManager.default.createFile(atPath: files[0].path, contents: stdin ?? Data())
        FileManager.default.createFile(atPath: files[1].path, contents: nil)
        FileManager.default.createFile(atPath: files[2].path, contents: nil)
        let input = try FileHandle(forReadingFrom: files[0])
        let output = try FileHandle(forWritingTo: files[1]), errors = try FileHandle(forWritingTo: files[2])
        defer { try? input.close(); try? output.close(); try? errors.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The watchdog has a thread of its own: a shared queue's threads may all be busy (children
        // starting, readers polling) when the time is up.
        let watch = Watch()
        let pid = process.processIdentifier
        Thread.detachNewThread {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while !watch.finished.load(ordering: .acquiring) && ContinuousClock.now < deadline { usleep(20_000) }
            if !watch.finished.load(ordering: .acquiring) {
                watch.timedOut.store(true, ordering: .releasing)
                kill(pid, SIGKILL)
            }
        }
        let status = waitForExit(process)
        watch.finished.store(true, ordering: .releasing)
        let result = Output(status: status, stdout: try String(contentsOf: files[1], encoding: .utf8),
                            stderr: try String(contentsOf: files[2], encoding: .utf8))
        if watch.timedOut.load(ordering: .acquiring) {
            throw ChildProcessError.timedOut("\(executable.lastPathComponent) \(arguments.joined(separator: " "))", timeout, result)
        }
        return result
    }


    /// Waits for `process` to end and returns its exit status (the signal's number if a signal
    /// ended it, as `Process.terminationStatus` says).
    ///
    /// Not `Process.waitUntilExit()`: Foundation learns of an exit when the child's end of a socket
    /// pair closes, and a child another test starts at the same moment can inherit that end and
    /// hold it open. The wait then never returns: a `psql` stayed a zombie for the rest of a CI run
    /// while a dev chain started beside it lived on. So the exit is polled: Foundation's own
    /// record, or the child reaped here (Foundation's later `waitpid` then finds nothing, harmlessly).
    public static func waitForExit(_ process: Process) -> Int32 {
        let pid = process.processIdentifier
        while process.isRunning {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                // Exited: the code in bits 8-15; killed: the signal in bits 0-6.
                return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
            }
            usleep(2_000)
        }
        return process.terminationStatus
    }

    /// The first line a running child writes to `handle` (a pipe), without the newline; throws
    /// ``ChildProcessError/noLine`` when none comes within `timeout`.
    public static func readLine(from handle: FileHandle, timeout: Duration = .seconds(120)) async throws -> String {
        let descriptor = handle.fileDescriptor
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try await withCheckedThrowingContinuation { continuation in
            // A thread of its own: it blocks in poll(2) until the line or the deadline.
            Thread.detachNewThread {
                var buffer = [UInt8]()
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    // Wait for something to read, at most until the deadline.
                    let left = ContinuousClock.now.duration(to: deadline)
                    guard left > .zero else {
                        continuation.resume(throwing: ChildProcessError.noLine(timeout))
                        return
                    }
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&poller, 1, Int32(min(left.components.seconds * 1000 + 1, 1000)))
                    if ready < 0, errno == EINTR { continue }
                    if ready == 0 { continue }
                    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 {
                        continuation.resume(throwing: DevChainError.exited("the process ended before writing a line"))
                        return
                    }
                    buffer.append(contentsOf: chunk[..<count])
                    if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                        return
                    }
                }
            }
        }
    }
}

/// A child process that did not finish (or say it was ready) in time.
public enum ChildProcessError: Error, CustomStringConvertible {
    case timedOut(String, Duration, ChildProcess.Output)
    case noLine(Duration)

    public var description: String {
        switch self {
        case .timedOut(let command, let limit, let output):
            "\(command) was killed after \(limit): it had not finished\n\(output.stdout.suffix(2000))\n\(output.stderr.suffix(2000))"
        case .noLine(let limit): "the process wrote no line within \(limit)"
        }
    }
}

/// What a child's watchdog and its waiter share.
private final class Watch: Sendable {
    let finished = Atomic(false)
    let timedOut = Atomic(false)
}
