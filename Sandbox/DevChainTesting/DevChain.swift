import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The project's dev chain (`scripts/devchain/server.py`, eth-tester/py-evm behind JSON-RPC on
/// loopback), started by tests as a child process that ends with them.
///
/// Needs the project's venv (`scripts/setup.sh --python`); set `SWITCHYARD_PYTHON` to use another interpreter.
public final class DevChain: Sendable {
    public let url: URL
    public let chainID: UInt64
    public let client: EthereumClient
    /// The funded dev accounts (well-known keys 0x…01 to 0x…0a; never use them on a real network).
    public let accounts: [LocalKeySigner]
    /// One nonce manager for everything the tests send on this chain.
    public let nonces: NonceManager
    private let process: Process

    /// Stops the chain now (it also stops when this object is released or the process exits).
    public func stop() { if process.isRunning { process.terminate() } }

    private init(url: URL, chainID: UInt64, accounts: [LocalKeySigner], process: Process) {
        self.url = url
        self.chainID = chainID
        self.client = EthereumClient(rpc: JSONRPCClient(url: url, timeout: .seconds(30)))
        self.accounts = accounts
        self.nonces = NonceManager(client: client, chainID: chainID, store: InMemoryNonceStore())
        self.process = process
    }

    deinit { if process.isRunning { process.terminate() } }

    private static let sharedChain = Task { try await DevChain.start() }

    /// One dev chain per test process, shared by every test that does not change chain-wide settings.
    public static func shared() async throws -> DevChain { try await sharedChain.value }

    /// The project's root directory (this file is Sources/DevChainTesting/DevChain.swift).
    public static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var python: String {
        ProcessInfo.processInfo.environment["SWITCHYARD_PYTHON"] ?? projectRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Starts a new dev chain on a free loopback port. `sandbox` deploys and funds the sandbox
    /// token as `scripts/devchain.sh start` does (see `server.py --sandbox`).
    public static func start(chainID: UInt64 = 31337, sandbox: Bool = false) async throws -> DevChain {
        try await start(chainID: chainID, arguments: sandbox ? ["--sandbox"] : [])
    }

    /// Starts a new dev chain on a free loopback port with `server.py`'s own options
    /// (`--sandbox-cnh`, `--block-time 1`, …); it stops with this process.
    public static func start(chainID: UInt64, arguments: [String]) async throws -> DevChain {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw DevChainError.notInstalled("\(python) not found: run scripts/setup.sh --python")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [projectRoot.appendingPathComponent("scripts/devchain/server.py").path,
                             "--port", "0", "--chain-id", String(chainID), "--exit-with-parent"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try await ChildProcess.readLine(from: output.fileHandleForReading)
        struct Ready: Decodable {
            struct Account: Decodable { var privateKey: String }
            var url: String
            var chainId: UInt64
            var accounts: [Account]
        }
        let ready = try JSONDecoder().decode(Ready.self, from: Data(line.utf8))
        let accounts = try ready.accounts.map { LocalKeySigner(key: try PrivateKey(hex: $0.privateKey)) }
        return DevChain(url: URL(string: ready.url)!, chainID: ready.chainId, accounts: accounts, process: process)
    }

    /// A submitter for `signer` that shares this chain's nonce manager.
    public func submitter(for signer: LocalKeySigner) -> TransactionSubmitter {
        TransactionSubmitter(client: client, chainID: chainID, signer: signer, nonces: nonces)
    }

    /// Signs, sends and waits for the receipt of a call from `signer` (the chain mines on send).
    @discardableResult
    public func send(from signer: LocalKeySigner, to: EVMAddress?, data: [UInt8] = [], value: Wei = Wei(0),
                     gasLimit: UInt64? = nil) async throws -> TransactionReceipt {
        let fees = try await FeeSuggestion.current(from: client)
        let gas: UInt64
        if let gasLimit { gas = gasLimit } else if let to {
            gas = try await client.estimateGas(CallRequest(from: signer.address, to: to, data: data)) * 12 / 10
        } else {
            gas = 3_000_000
        }
        let sent = try await submitter(for: signer).submit(to: to, data: data, value: value, gasLimit: gas, fees: fees)
        return try await receipt(of: sent.hashHex)
    }

    /// A new account with a random key, funded with `ether` ETH from the first dev account, so
    /// tests running in parallel never share an account's nonces. Returns the key's hex too, for
    /// configuration that reads a key from the environment.
    public func newAccount(ether: UInt64 = 10) async throws -> (signer: LocalKeySigner, keyHex: String) {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            guard let key = try? PrivateKey(bytes: bytes) else { continue }
            let signer = LocalKeySigner(key: key)
            try await send(from: accounts[0], to: signer.address, value: Wei(UInt128(ether) * 1_000_000_000_000_000_000), gasLimit: 21_000)
            return (signer, "0x" + Hex.encode(bytes))
        }
    }

    /// Waits (briefly) for a receipt.
    public func receipt(of hash: String) async throws -> TransactionReceipt {
        for _ in 0..<100 {
            if let receipt = try await client.transactionReceipt(hash: hash) { return receipt }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DevChainError.noReceipt(hash)
    }

    /// Mines `count` empty blocks (dev-only `evm_mine`).
    public func mine(_ count: Int = 1) async throws {
        _ = try await client.rpc.call("evm_mine", [.string(Quantity.hex(UInt64(count)))])
    }

    /// Holds transactions in the pool (`false`) or mines each as it arrives (`true`, the default).
    public func setAutomine(_ enabled: Bool) async throws {
        _ = try await client.rpc.call("evm_setAutomine", [.bool(enabled)])
    }
}

public enum DevChainError: Error, CustomStringConvertible {
    case notInstalled(String)
    case exited(String)
    case noReceipt(String)
    case compileFailed(String)
    case deployFailed(String)

    public var description: String {
        switch self {
        case .notInstalled(let why), .exited(let why), .compileFailed(let why), .deployFailed(let why): why
        case .noReceipt(let hash): "no receipt for \(hash)"
        }
    }
}
