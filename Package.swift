// swift-tools-version: 6.1
import PackageDescription

// Release executables export no symbols. With the Swift runtime linked statically, swiftc asks the
// linker to export every symbol (`-export-dynamic`): 57,000 names the loader then searches at
// every start (each symbol binding, and the runtime's `dladdr` of itself), about 1.5 ms of a
// `switchyard quote` process. Nothing looks our symbols up by name: crash backtraces read the
// symbol table in the file. Debug builds keep the default (test binaries link executables' code).
// They are linked by lld (shipped with the Swift toolchain) with packed relative relocations
// (DT_RELR): the 151,000 relocations of a position-independent executable take 30 KB instead of
// 3.6 MB for the loader to read, and lld's layout starts faster than gold's. Together 0.1–1.6 ms
// of a 11.3–11.7 ms `switchyard quote` (alternating runs, README "Benchmarks"). DT_RELR needs
// glibc 2.36 or later where the binary runs.
let shippedExecutableLinking: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(configuration: .release))]
// `switchyard` is also linked with the ~2,800 functions a quote runs placed together at the start
// of its code (Sources/switchyard/startup-order.txt, written by scripts/startup-order.sh; each
// function has a section of its own when built with scripts/release-flags.sh): a quote process
// then faults in fewer pages of code (page faults 1,040 -> 935-980, 9.5 -> 7.9 ms; README
// "Benchmarks"). Names the list has that the code no longer has are skipped.
let switchyardLinking: [LinkerSetting] = shippedExecutableLinking + [.unsafeFlags(
    ["-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/switchyard/startup-order.txt", "-Xlinker", "--no-warn-symbol-ordering"],
    .when(configuration: .release))]

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RailKit", targets: ["RailKit"]),
        .library(name: "RailKitSupport", targets: ["RailKitSupport"]),
        .library(name: "RailKitTesting", targets: ["RailKitTesting"]),
        .library(name: "EVMKit", targets: ["EVMKit"]),
        // HTTP to a counterpart with the router's rules (no redirects, bounded time and size), for rails built outside.
        .library(name: "CounterpartHTTPClient", targets: ["CounterpartHTTPClient"]),
        // Serves any RailAdapter over the out-of-process rail protocol, for rails run in their own process.
        .library(name: "RailHost", targets: ["RailHost"]),
        .executable(name: "switchyard", targets: ["switchyard"]),
        // The CIPS rail in its own process, served over the remote rail protocol.
        .executable(name: "cips-rail", targets: ["CIPSRailHost"]),
        // The sandbox counterparts, apart from the shipped binary.
        .executable(name: "switchyard-sandbox", targets: ["switchyard-sandbox"]),
        // `swift run -c release payment-store-benchmark`: durable creations/s and memory (README "Benchmarks").
        .executable(name: "payment-store-benchmark", targets: ["PaymentStoreBenchmark"]),
        // `swift run -c release routing-benchmark`: routing decision latency and throughput at 3, 30 and 300 rails.
        .executable(name: "routing-benchmark", targets: ["RoutingBenchmark"]),
        // The bare Hummingbird endpoint scripts/benchmark-api.sh measures the API beside.
        .executable(name: "bare-hummingbird", targets: ["BareHummingbird"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // NIOHTTPTypes only: the sandbox servers' request read timeout handles Hummingbird's HTTP parts.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // No default traits: swift-configuration support is not needed here and costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // Counterpart HTTP on SwiftNIO: Foundation's URLSession brings libcurl and its libraries into every start.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // The contract every rail adapter imports: money, the payment intent, the adapter protocol,
        // quotes, capabilities, execution types and checkpoints. Foundation and swift-log only.
        .target(name: "RailKit", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // What some rails need beside the contract: pricing, business calendars and latency,
        // configured values and settings, endpoint URLs, hex.
        .target(name: "RailKitSupport", dependencies: ["RailKit", .product(name: "Logging", package: "swift-log")]),
        // The payment executor: one owner of the lifecycle for every rail (idempotency, quote
        // checks, admission at execution, journaling order, status polling).
        .target(
            name: "SwitchyardExecutor",
            dependencies: ["RailKit", .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Tracing", package: "swift-distributed-tracing")]
        ),
        // The embedded payment store: SQLite through GRDB (WAL, synchronous commits, migrations).
        .target(name: "SQLitePaymentStore", dependencies: ["RailKit", "SwitchyardExecutor", .product(name: "GRDB", package: "GRDB.swift")]),
        // The payment store for several routers on one PostgreSQL database (PostgresNIO; SKIP LOCKED claims with leases).
        .target(
            name: "PostgresPaymentStore",
            dependencies: ["RailKit", "SwitchyardExecutor", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log")]
        ),
        // The conformance kit every adapter's tests run (execution goes through the executor).
        .target(name: "RailKitTesting", dependencies: ["RailKit", "RailKitSupport", "SwitchyardExecutor", .product(name: "Logging", package: "swift-log")]),
        // Tests of rails served over the remote rail protocol: the router's `remote` adapter configured
        // as `Config/` would. Apart from RailKitTesting, so a rail package's tests do not build the HTTP client.
        .target(name: "RemoteRailTesting", dependencies: ["RailKit", "RailKitSupport", "RemoteRail"]),

        // Shared protocol libraries adapters may import.
        // HTTP to a counterpart: no redirects followed, the whole exchange bounded in time, the answer in size.
        .target(
            name: "CounterpartHTTPClient",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
        // libsecp256k1 from Debian (scripts/setup.sh installs libsecp256k1-dev).
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // An EVM client: Keccak-256, addresses, RLP, EIP-1559 transactions, signing, ABI, JSON-RPC, nonces.
        .target(name: "EVMKit", dependencies: ["RailKit", "RailKitSupport", "CounterpartHTTPClient", "CSecp256k1", .product(name: "Logging", package: "swift-log")]),
        // FX quotes: the provider protocol, a configured rate table and a SEP-38 style RFQ client.
        .target(name: "FXQuotes", dependencies: ["RailKit", "RailKitSupport", "CounterpartHTTPClient", .product(name: "Logging", package: "swift-log")]),
        // An off-ramp partner's payout API (wire types and client): tokens in, a bank payout out.
        .target(name: "OffRampAPI", dependencies: ["RailKit", "RailKitSupport", "CounterpartHTTPClient", .product(name: "Logging", package: "swift-log")]),
        // ISO 20022 messages: pacs.008 (CBPR+, CIPS) out, pacs.002 / pacs.004 in, character sets, UETRs, a bank's payment API.
        .target(name: "ISO20022", dependencies: ["RailKit", "RailKitSupport", "CounterpartHTTPClient", .product(name: "Logging", package: "swift-log")]),

        // The out-of-process rail protocol's wire types (JSON over HTTP, RailKit's Codable types).
        .target(name: "RemoteRailProtocol", dependencies: ["RailKit"]),
        // A rail's side of the protocol: serves any RailAdapter over HTTP (Hummingbird), in its own process.
        .target(
            name: "RailHost",
            dependencies: ["RailKit", "RemoteRailProtocol", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]
        ),

        // Rail adapters: RailKit (and shared protocol libraries) only, never the router.
        // The `remote` adapter type: a rail in another process, by URL and token.
        .target(name: "RemoteRail", dependencies: ["RailKit", "RailKitSupport", "RemoteRailProtocol", "CounterpartHTTPClient"], path: "Plugins/RemoteRail"),
        .target(name: "DepositTokenRail", dependencies: ["RailKit", "RailKitSupport", "EVMKit", .product(name: "Logging", package: "swift-log")], path: "Plugins/DepositTokenRail"),
        .target(
            name: "CorrespondentBankingRail",
            dependencies: ["RailKit", "RailKitSupport", "ISO20022", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            path: "Plugins/CorrespondentBankingRail"
        ),
        // Onshore CNY to mainland China over CIPS: built on the SDK alone, run out of process (`cips-rail`).
        .target(name: "CIPSRail", dependencies: ["RailKit", "RailKitSupport", "ISO20022", .product(name: "Logging", package: "swift-log")], path: "Plugins/CIPSRail"),
        .executableTarget(
            name: "CIPSRailHost",
            dependencies: ["CIPSRail", "RailHost", "RailKit", "RailKitSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Plugins/CIPSRailHost",
            linkerSettings: shippedExecutableLinking
        ),
        .target(name: "CNHStablecoinRail", dependencies: ["RailKit", "RailKitSupport", "EVMKit", "FXQuotes", "OffRampAPI", .product(name: "Logging", package: "swift-log")], path: "Plugins/CNHStablecoinRail"),

        // Routing engine, compliance policy and configuration loading.
        .target(
            name: "SwitchyardRouter",
            dependencies: ["RailKit", "RailKitSupport", "SwitchyardExecutor", "EVMKit", .product(name: "Logging", package: "swift-log")]
        ),
        // The API's wire types: the quote report, payments and their events as clients see them.
        .target(
            name: "SwitchyardAPI",
            dependencies: ["RailKit", "RailKitSupport", "SwitchyardRouter", "SwitchyardExecutor", "RemoteRail"]
        ),
        // The HTTP API on Hummingbird: routes, API keys, problem+json, the OpenAPI document.
        .target(
            name: "SwitchyardServer",
            dependencies: ["RailKit", "RailKitSupport", "EVMKit", "SwitchyardAPI", "SwitchyardRouter", "SwitchyardExecutor", "CounterpartHTTPClient",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log")],
            resources: [.copy("openapi.json")]
        ),
        // The CLI commands and the one place that lists the rail modules.
        .target(
            name: "SwitchyardCommands",
            dependencies: [
                "RailKit", "RailKitSupport", "SwitchyardRouter", "SwitchyardExecutor", "SQLitePaymentStore", "PostgresPaymentStore", "EVMKit",
                "SwitchyardAPI", "SwitchyardServer", "DepositTokenRail", "CorrespondentBankingRail", "CNHStablecoinRail", "RemoteRail", "FXQuotes",
                "CounterpartHTTPClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Process start-up tuning for the shipped executable (zero-initialised data faulted in at once).
        .target(name: "CProcessStartup"),
        .executableTarget(name: "switchyard", dependencies: ["SwitchyardCommands", "CProcessStartup"], exclude: ["startup-order.txt"],
                          linkerSettings: switchyardLinking),

        // The sandbox: simulated counterparts and dev-chain tooling, never linked by `switchyard`.
        // What the sandbox counterparts share: a server started on loopback, JSON responses.
        .target(
            name: "SandboxHTTP",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "Logging", package: "swift-log")],
            path: "Sandbox/SandboxHTTP"
        ),
        // The sandbox FX dealer: a SEP-38 style RFQ server on loopback.
        .target(
            name: "SandboxFXDesk",
            dependencies: ["RailKit", "RailKitSupport", "FXQuotes", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Sandbox/SandboxFXDesk"
        ),
        // The sandbox off-ramp partner on loopback: checks funding on the chain, pays out on its clock.
        .target(
            name: "SandboxOffRamp",
            dependencies: ["RailKit", "RailKitSupport", "EVMKit", "OffRampAPI", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Sandbox/SandboxOffRamp"
        ),
        // A correspondent bank on loopback for the sandbox and tests: takes pacs.008 over HTTP,
        // validates, answers pacs.002 on a calendar clock, returns with pacs.004.
        .target(
            name: "BankSimulator",
            dependencies: ["RailKit", "RailKitSupport", "ISO20022", "SandboxHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            path: "Sandbox/BankSimulator"
        ),
        // Starts the project's dev chain (scripts/devchain) and deploys the sandbox token, for tests.
        .target(name: "DevChainTesting", dependencies: ["EVMKit", "RailKit", "RailKitSupport"], path: "Sandbox/DevChainTesting"),
        // `switchyard-sandbox up|bank|fx|offramp` (up also hosts the CIPS rail out of the router's process).
        .target(
            name: "SandboxCommands",
            dependencies: ["RailKit", "RailKitSupport", "SwitchyardCommands", "SwitchyardRouter", "BankSimulator", "CIPSRail", "RailHost", "SandboxFXDesk", "SandboxOffRamp", "SandboxHTTP", "DevChainTesting",
                           "FXQuotes", "EVMKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Sandbox/SandboxCommands"
        ),
        .executableTarget(name: "switchyard-sandbox", dependencies: ["SandboxCommands"], path: "Sandbox/switchyard-sandbox"),

        .executableTarget(
            name: "PaymentStoreBenchmark",
            dependencies: ["RailKit", "SwitchyardExecutor", "SQLitePaymentStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/PaymentStoreBenchmark"
        ),

        .executableTarget(name: "RoutingBenchmark", dependencies: ["RailKit", "SwitchyardRouter", "SwitchyardCommands", "AllocationCounter",
                                                                  .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/RoutingBenchmark", linkerSettings: shippedExecutableLinking),
        // Counts the routing benchmark's heap allocations (interposes malloc and friends; benchmarks only).
        .target(name: "AllocationCounter", path: "Benchmarks/AllocationCounter"),
        .executableTarget(name: "BareHummingbird", dependencies: [.product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/BareHummingbird"),

        .testTarget(name: "RailKitTests", dependencies: ["RailKit", "RailKitSupport", "RailKitTesting", "DevChainTesting"]),
        .testTarget(name: "EVMKitTests", dependencies: ["EVMKit", "RailKit", "RailKitSupport", "DevChainTesting", "RailKitTesting"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SwitchyardRouterTests",
            dependencies: ["SwitchyardRouter", "SwitchyardExecutor", "SQLitePaymentStore", "PostgresPaymentStore", "DevChainTesting", "SwitchyardCommands", "RailKit", "RailKitSupport", "RailKitTesting", "EVMKit",
                           "DepositTokenRail", "CorrespondentBankingRail", "CNHStablecoinRail", "SwitchyardAPI", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "DepositTokenRailTests", dependencies: ["DepositTokenRail", "RailKit", "RailKitTesting", "RemoteRailTesting", "DevChainTesting", "EVMKit", "RailKitSupport",
                                                           "SandboxHTTP", "RailHost"]),
        .testTarget(name: "ISO20022Tests", dependencies: ["ISO20022", "RailKit", "RailKitSupport", "BankSimulator", "RailKitTesting"]),
        .testTarget(name: "FXQuotesTests", dependencies: ["FXQuotes", "SandboxFXDesk", "RailKit", "RailKitSupport", "RailKitTesting"]),
        .testTarget(name: "BankSimulatorTests", dependencies: ["BankSimulator", "ISO20022", "RailKit", "RailKitSupport"]),
        .testTarget(
            name: "CorrespondentBankingRailTests",
            dependencies: ["CorrespondentBankingRail", "RailKit", "RailKitTesting", "RemoteRailTesting", "SwitchyardExecutor", "RailKitSupport", "BankSimulator", "ISO20022", "SandboxHTTP", "DevChainTesting",
                           "RailHost", "RemoteRail", "RemoteRailProtocol", "CounterpartHTTPClient", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "CIPSRailTests",
            dependencies: ["CIPSRail", "CorrespondentBankingRail", "RailKit", "RailKitTesting", "RemoteRailTesting", "SwitchyardExecutor", "RailKitSupport", "BankSimulator", "ISO20022",
                           "SandboxHTTP", "RailHost", "RemoteRail", "RemoteRailProtocol", "DevChainTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "CNHStablecoinRailTests",
            dependencies: ["CNHStablecoinRail", "RailKit", "RailKitTesting", "RemoteRailTesting", "SwitchyardExecutor", "RailKitSupport", "DevChainTesting", "EVMKit", "FXQuotes", "SandboxFXDesk", "SandboxOffRamp", "OffRampAPI", "SandboxHTTP", "RailHost", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // The HTTP API in process (HummingbirdTesting) on the real stores and the sandbox bank.
        .testTarget(
            name: "SwitchyardServerTests",
            dependencies: ["SwitchyardServer", "SwitchyardAPI", "SwitchyardRouter", "SwitchyardExecutor", "SQLitePaymentStore", "RailKit", "RailKitSupport",
                           "RailKitTesting", "CorrespondentBankingRail", "BankSimulator", "ISO20022", "SwitchyardCommands", "SandboxHTTP",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus")]
        ),
        .testTarget(name: "PaymentStoreTests", dependencies: ["RailKit", "SwitchyardExecutor", "SQLitePaymentStore", "PostgresPaymentStore", "RailKitTesting",
                                                      "DevChainTesting", .product(name: "GRDB", package: "GRDB.swift")]),
        // Runs the built `switchyard` and `switchyard-sandbox` executables end to end.
        .testTarget(name: "SwitchyardCommandsTests", dependencies: ["RailKit", "RailKitSupport", "EVMKit", "SwitchyardExecutor", "SwitchyardRouter", "PostgresPaymentStore",
                                                             "switchyard", "switchyard-sandbox", "SwitchyardCommands", "DevChainTesting",
                                                             "RailHost", "CorrespondentBankingRail", "BankSimulator", "SandboxHTTP", "CIPSRailHost", "CProcessStartup", "RailKitTesting"]),
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

// Concrete generic types' metadata through accessors, not mangled names: a mangled name is
// resolved at run time, and resolving one checks its generic requirements by scanning every
// protocol conformance record of the binary (a first scan for each type: about a quarter of a
// `switchyard quote` process, most of it while decoding the configuration). An unsafe flag keeps
// other packages from depending on Switchyard by version; `switchyard rail new` depends on it by
// path or branch, which SwiftPM allows.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]
}
