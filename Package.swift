// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RailKit", targets: ["RailKit"]),
        .library(name: "RailKitTesting", targets: ["RailKitTesting"]),
        .library(name: "EVMKit", targets: ["EVMKit"]),
        .executable(name: "switchyard", targets: ["switchyard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // No default traits: swift-configuration support is not needed here and costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        // The SDK every rail adapter imports, and nothing else: Foundation only.
        .target(name: "RailKit"),
        // The conformance kit every adapter's tests run.
        .target(name: "RailKitTesting", dependencies: ["RailKit"]),
        // Starts the project's dev chain (scripts/devchain) and deploys the sandbox token, for tests.
        .target(name: "DevChainTesting", dependencies: ["EVMKit", "RailKit"]),

        // Shared protocol libraries adapters may import.
        // libsecp256k1 from Debian (scripts/setup.sh installs libsecp256k1-dev).
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // An EVM client: RLP, EIP-1559 transactions, signing, ABI, JSON-RPC over HTTP, nonces.
        .target(name: "EVMKit", dependencies: ["RailKit", "CSecp256k1"]),
        // FX quotes: a configured rate table and a SEP-38 style RFQ client, behind RailKit's FXQuoteProvider.
        .target(name: "FXQuotes", dependencies: ["RailKit"]),
        // What the sandbox counterparts share: a server started on loopback, JSON responses.
        .target(
            name: "SandboxHTTP",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio")]
        ),
        // The sandbox FX dealer: a SEP-38 style RFQ server on loopback.
        .target(
            name: "SandboxFXDesk",
            dependencies: ["RailKit", "FXQuotes", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio")]
        ),
        // An off-ramp partner's payout API (wire types and client): tokens in, a bank payout out.
        .target(name: "OffRampAPI", dependencies: ["RailKit"]),
        // The sandbox off-ramp partner on loopback: checks funding on the chain, pays out on its clock.
        .target(
            name: "SandboxOffRamp",
            dependencies: ["RailKit", "EVMKit", "OffRampAPI", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio")]
        ),
        // ISO 20022 messages: pacs.008 (CBPR+) out, pacs.002 / pacs.004 in, the SWIFT character set.
        .target(name: "ISO20022", dependencies: ["RailKit"]),

        // A correspondent bank on loopback for the sandbox and tests: takes pacs.008 over HTTP,
        // validates, answers pacs.002 on a calendar clock, returns with pacs.004.
        .target(
            name: "BankSimulator",
            dependencies: ["RailKit", "ISO20022", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]
        ),

        // Rail adapters: RailKit (and shared protocol libraries) only, never the router.
        .target(name: "DepositTokenRail", dependencies: ["RailKit", "EVMKit"], path: "Plugins/DepositTokenRail"),
        .target(name: "CorrespondentBankingRail", dependencies: ["RailKit", "ISO20022", .product(name: "Crypto", package: "swift-crypto")], path: "Plugins/CorrespondentBankingRail"),
        .target(name: "CNHStablecoinRail", dependencies: ["RailKit", "EVMKit", "FXQuotes", "OffRampAPI"], path: "Plugins/CNHStablecoinRail"),

        // Routing engine, compliance policy and configuration loading.
        .target(
            name: "SwitchyardRouter",
            dependencies: ["RailKit", .product(name: "Logging", package: "swift-log")]
        ),
        // The CLI commands and the one place that wires rails into the router.
        .target(
            name: "SwitchyardCommands",
            dependencies: [
                "RailKit", "SwitchyardRouter",
                "DepositTokenRail", "CorrespondentBankingRail", "CNHStablecoinRail",
                "BankSimulator", "SandboxFXDesk", "FXQuotes", "SandboxOffRamp", "EVMKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "switchyard", dependencies: ["SwitchyardCommands"]),

        .testTarget(name: "RailKitTests", dependencies: ["RailKit", "RailKitTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EVMKitTests", dependencies: ["EVMKit", "DevChainTesting", "RailKitTesting"]),
        .testTarget(
            name: "SwitchyardRouterTests",
            dependencies: ["SwitchyardRouter", "RailKit", "RailKitTesting", "DepositTokenRail", "CorrespondentBankingRail", "CNHStablecoinRail"]
        ),
        .testTarget(name: "DepositTokenRailTests", dependencies: ["DepositTokenRail", "RailKitTesting", "DevChainTesting", "EVMKit"]),
        .testTarget(name: "ISO20022Tests", dependencies: ["ISO20022", "RailKit", "BankSimulator", "RailKitTesting"]),
        .testTarget(name: "FXQuotesTests", dependencies: ["FXQuotes", "SandboxFXDesk", "RailKit", "RailKitTesting"]),
        .testTarget(name: "BankSimulatorTests", dependencies: ["BankSimulator", "ISO20022", "RailKit"]),
        .testTarget(
            name: "CorrespondentBankingRailTests",
            dependencies: ["CorrespondentBankingRail", "RailKitTesting", "BankSimulator", "ISO20022", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "CNHStablecoinRailTests",
            dependencies: ["CNHStablecoinRail", "RailKitTesting", "DevChainTesting", "EVMKit", "FXQuotes", "SandboxFXDesk", "SandboxOffRamp", "OffRampAPI"]
        ),
        // Runs the built `switchyard` executable end to end.
        .testTarget(name: "SwitchyardCommandsTests", dependencies: ["RailKit", "switchyard", "DevChainTesting"]),
    ]
)

// One place for settings every target shares: Swift 6 language mode (strict concurrency) and
// explicit `any` for existentials.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
