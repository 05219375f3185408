import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The sandbox deposit token (`scripts/devchain/DepositToken.vy`), compiled by the project's pinned
/// Vyper and deployed on a dev chain; its owner (the "bank") mints and manages the allowlist.
public struct SandboxDepositToken: Sendable {
    public let chain: DevChain
    public let address: EVMAddress
    public let owner: LocalKeySigner
    public let decimals: UInt8

    public static let setAllowlisted = ABIFunction("setAllowlisted(address,bool)")
    public static let mint = ABIFunction("mint(address,uint256)")
    /// The allowlist query: `isAllowlisted(address) -> bool`.
    public static let isAllowlisted = ABIFunction("isAllowlisted(address)")

    private static let bytecode = Task { try await compile() }

    /// Compiles the contract once per process: `vyper -f bytecode`.
    static func compile() async throws -> [UInt8] {
        let vyper = URL(fileURLWithPath: DevChain.python).deletingLastPathComponent().appendingPathComponent("vyper")
        let result = try await ChildProcess.run(vyper, ["-f", "bytecode", DevChain.projectRoot.appendingPathComponent("scripts/devchain/DepositToken.vy").path])
        guard result.status == 0, let bytes = Hex.decode(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DevChainError.compileFailed("vyper failed (\(result.status)): \(result.stderr)")
        }
        return bytes
    }

    /// Deploys a new token owned by `owner` (the first dev account by default).
    public static func deploy(on chain: DevChain, decimals: UInt8 = 18, owner: LocalKeySigner? = nil) async throws -> SandboxDepositToken {
        let owner = owner ?? chain.accounts[0]
        let code = try await bytecode.value + BigEndian.padded(decimals)
        let receipt = try await chain.send(from: owner, to: nil, data: code, gasLimit: 2_000_000)
        guard receipt.succeeded, let address = receipt.contractAddress else {
            throw DevChainError.deployFailed("deploying the sandbox token failed (status \(receipt.succeeded))")
        }
        return SandboxDepositToken(chain: chain, address: address, owner: owner, decimals: decimals)
    }

    public func allowlist(_ accounts: EVMAddress..., allowed: Bool = true) async throws {
        for account in accounts {
            try await chain.send(from: owner, to: address, data: Self.setAllowlisted.encodeCall([.address(account), .bool(allowed)]))
        }
    }

    public func mint(_ amount: Wei, to holder: EVMAddress) async throws {
        let receipt = try await chain.send(from: owner, to: address, data: Self.mint.encodeCall([.address(holder), .uint(amount.amount)]))
        guard receipt.succeeded else { throw DevChainError.deployFailed("mint reverted") }
    }

    public func balance(of holder: EVMAddress) async throws -> UInt128 {
        try ABIDecoder(try await chain.client.call(CallRequest(to: address, data: ERC20.balanceOfCall(holder)))).uint(0)
    }
}
