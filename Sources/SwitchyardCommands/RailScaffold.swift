import Foundation

/// The files of a new rail package, as `switchyard rail new` writes them: a rail module with its
/// settings type and settings file, a host executable serving it over the remote rail protocol,
/// a conformance test, and a README. The rail quotes from its settings and executes as a book
/// transfer against an in-memory ledger standing in for its counterpart, so everything builds and
/// passes before the author writes a line; the places to replace are marked `COUNTERPART:`.
struct RailScaffold {
    /// The rail's name as typed: lower-case words joined by hyphens (`acme-pay`).
    let name: String
    /// How the new package depends on Switchyard: a local checkout's path, or a git URL.
    let switchyard: String

    /// `acme-pay` → `AcmePay`.
    var typeName: String { name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }
    /// `acme-pay` → `ACME_PAY`.
    var environmentPrefix: String { name.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// - Throws: a message naming the rule when `name` is not lower-case words joined by hyphens
    ///   starting with a letter (it becomes a module, an adapter type and a file name).
    static func validate(name: String) throws(RailScaffoldError) {
        guard (2...40).contains(name.count), name.first?.isLetter == true, name.last != "-", !name.contains("--"),
              name.allSatisfy({ ($0.isASCII && $0.isLowercase && $0.isLetter) || ($0.isASCII && $0.isNumber) || $0 == "-" }) else {
            throw RailScaffoldError("<name>: 2-40 lower-case letters, digits and single hyphens, starting with a letter (e.g. acme-pay), got \"\(name)\"")
        }
        // Its module would clash with one of Switchyard's own (a package graph has one module per name).
        guard !reservedNames.contains(name) else {
            throw RailScaffoldError("<name>: \"\(name)\" names one of Switchyard's own rail modules; choose another (e.g. acme-\(name))")
        }
    }

    /// Names whose module (`<Type>Rail`, `<Type>RailHost`) Switchyard already has.
    static let reservedNames: Set<String> = ["remote", "deposit-token", "correspondent-banking", "cnh-stablecoin", "cips"]

    /// The package's dependency clause on Switchyard, and the package identity products name.
    var dependency: (clause: String, identity: String) {
        if switchyard.contains("://") || switchyard.hasPrefix("git@") {
            let identity = URL(string: switchyard)?.deletingPathExtension().lastPathComponent.lowercased() ?? "switchyard"
            return (".package(url: \"\(switchyard)\", branch: \"main\")", identity)
        }
        let path = URL(fileURLWithPath: switchyard).standardizedFileURL
        return (".package(path: \"\(path.path)\")", path.lastPathComponent.lowercased())
    }

    /// Every file, by path relative to the package root.
    func files() -> [(path: String, contents: String)] {
        let rail = typeName + "Rail"
        return [
            ("Package.swift", packageManifest),
            ("Sources/\(rail)/\(rail).swift", railSource),
            ("Sources/\(rail)/\(typeName)Settings.swift", settingsSource),
            ("Sources/\(rail)/\(typeName)Ledger.swift", ledgerSource),
            ("Sources/\(rail)Host/main.swift", hostSource),
            ("Tests/\(rail)Tests/\(rail)Tests.swift", testSource),
            ("Config/\(name).json", settingsFile),
            ("README.md", readme),
            (".gitignore", ".build/\n.swiftpm/\nPackage.resolved\n"),
        ]
    }

    var packageManifest: String {
        let (clause, identity) = dependency
        return """
        // swift-tools-version: 6.1
        import PackageDescription

        // The \(name) rail: a Switchyard rail adapter in its own package, run in its own process.
        let package = Package(
            name: "\(name)-rail",
            platforms: [.macOS(.v15)],
            products: [
                .library(name: "\(typeName)Rail", targets: ["\(typeName)Rail"]),
                .executable(name: "\(name)-rail", targets: ["\(typeName)RailHost"]),
            ],
            dependencies: [
                \(clause),
            ],
            targets: [
                // The rail: RailKit (the contract) and RailKitSupport (pricing, calendars, settings) only.
                .target(name: "\(typeName)Rail", dependencies: [
                    .product(name: "RailKit", package: "\(identity)"), .product(name: "RailKitSupport", package: "\(identity)"),
                ]),
                // Serves the rail over the remote rail protocol: a router adds it by URL and token.
                .executableTarget(name: "\(typeName)RailHost", dependencies: [
                    "\(typeName)Rail", .product(name: "RailHost", package: "\(identity)"), .product(name: "RailKit", package: "\(identity)"),
                    .product(name: "RailKitSupport", package: "\(identity)"),
                ]),
                // The conformance kit every Switchyard rail passes.
                .testTarget(name: "\(typeName)RailTests", dependencies: [
                    "\(typeName)Rail", .product(name: "RailKit", package: "\(identity)"), .product(name: "RailKitSupport", package: "\(identity)"),
                    .product(name: "RailKitTesting", package: "\(identity)"),
                ]),
            ],
            swiftLanguageModes: [.v6]
        )

        """
    }

    var settingsSource: String {
        """
        import Foundation
        import RailKit
        import RailKitSupport

        /// The settings of one \(name) rail instance (`Config/\(name).json`): data with sources, overridable.
        public struct \(typeName)Settings: Decodable, Sendable {
            var displayName: String
            /// The one currency the rail moves (a book transfer does not convert).
            var currency: Currency
            /// Where creditors' accounts may be.
            var creditorCountries: [CountryCode]
            var minimum: ConfiguredMoney?
            var maximum: ConfiguredMoney?
            /// The rail's fee, billed to the debtor.
            var fee: ConfiguredCharge
            var latency: ConfiguredLatencyProfile
            var quoteValiditySeconds: Int
        }

        """
    }

    var ledgerSource: String {
        """
        import Foundation
        import RailKit

        /// COUNTERPART: stands in for the system this rail pays through (a bank's API, a chain, a
        /// partner). Replace it with a client for the real one; keep its two promises: a transfer is
        /// keyed by the id journaled in the checkpoint (sending it again books nothing new), and it can
        /// say what happened to a transfer by that id.
        public actor \(typeName)Ledger {
            public struct Booked: Sendable, Hashable {
                public var transferID: String
                public var amount: Money
                public var at: ContinuousClock.Instant
            }

            public private(set) var booked = [String: Booked]()

            public init() {}

            /// Books `amount` under `transferID` once; a repeat is harmless.
            func book(_ transferID: String, amount: Money) {
                if booked[transferID] == nil { booked[transferID] = Booked(transferID: transferID, amount: amount, at: .now) }
            }
        }

        """
    }

    var railSource: String {
        """
        import Foundation
        import RailKit
        import RailKitSupport

        /// The \(name) rail: \(typeName)'s book transfer in one currency.
        ///
        /// Quotes from its settings (a fee billed to the debtor, an ETA from its latency profile) and
        /// executes in the order every Switchyard rail keeps: the checkpoint naming the transfer is
        /// journaled before the transfer leaves, and a payment resumed from its checkpoint never sends
        /// a new one. Made by `switchyard rail new \(name)`; replace what is marked `COUNTERPART:`.
        public struct \(typeName)Rail: ConfigurableRail {
            public static let adapterType = "\(name)"

            public let descriptor: RailDescriptor
            let settings: \(typeName)Settings
            let latency: LatencyProfile
            /// COUNTERPART: the client for the system this rail pays through.
            public let ledger: \(typeName)Ledger

            public init(id: RailID, settings: \(typeName)Settings, context: RailConfigurationContext, environment: [String: String]) throws {
                self.settings = settings
                latency = try settings.latency.resolve(context, field: "latency")
                ledger = \(typeName)Ledger()
                descriptor = RailDescriptor(id: id, displayName: settings.displayName, capabilities: RailCapabilities(
                    kind: RailKind(rawValue: "\(name)"),
                    corridors: [Corridor(source: settings.currency, destination: settings.currency, creditorCountries: settings.creditorCountries,
                                         minimum: settings.minimum?.money, maximum: settings.maximum?.money)],
                    operatingHours: .continuous, supportsFixedReceive: true, quoteOnlyReason: nil,
                    quoteValiditySeconds: settings.quoteValiditySeconds, quoteCallsCounterpart: false))
            }

            public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
                let intent = request.intent
                if case .declined(let decline) = descriptor.capabilities.admit(intent) { return .declined(decline) }
                let currency = settings.currency
                let fee = try settings.fee.charge(kind: .senderBankFee, description: "\(name) fee", bearer: .debtor, in: currency, market: request.market)
                let pricing = PaymentPricing(source: currency, destination: currency, applied: .identity(currency), mid: .identity(currency),
                                             midSource: "one currency", billed: [fee], deductedBeforeConversion: [], deductedAfterConversion: [])
                let breakdown: PriceBreakdown
                do {
                    breakdown = try pricing.price(intent.amount.money, fixed: intent.amount.fixed)
                } catch .consumedByFees(let detail) {
                    return .declined(RailDecline(.amountTooSmallAfterFees, "The fee would consume the payment: \\(detail)."))
                } catch .money(let error) {
                    throw RailError.money(error)
                }
                return .quoted(Quote(
                    id: request.quoteID, railID: descriptor.id, firmness: .firm, createdAt: request.now,
                    expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
                    breakdown: breakdown, eta: try latency.estimate(from: request.now),
                    assumptions: [Assumption("latency", "p50 \\(latency.p50.summary), p95 \\(latency.p95.summary)", source: settings.latency.source)]))
            }

            /// What the rail journals before the transfer leaves: its id (the counterpart's idempotency key) and amount.
            struct Checkpoint: RailCheckpointPayload {
                static let railType = "\(name)"
                static let schemaVersion = 1
                var transferID: String
                var amount: Money
            }

            public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
                if let recorded = request.resumeFrom {
                    // Resumed (after a restart, or by the router's next step out of process): continue
                    // from the journaled transfer, never a new one.
                    let checkpoint = try recorded.checkpoint.decode(Checkpoint.self)
                    await ledger.book(checkpoint.transferID, amount: checkpoint.amount)
                    return ExecutionReceipt(submission: recorded, status: try await status(of: recorded, at: request.now))
                }
                let transferID = "\(name)-" + request.paymentID
                let submission = RailSubmission(reference: RailReference(kind: "transfer", value: transferID),
                                                checkpoint: try RailCheckpoint(Checkpoint(transferID: transferID, amount: request.quote.creditorReceives)))
                try await recorder.record(.prepared(submission))
                // COUNTERPART: send the transfer, keyed by transferID.
                await ledger.book(transferID, amount: request.quote.creditorReceives)
                try await recorder.record(.submitted(submission.reference))
                return ExecutionReceipt(submission: submission, status: try await status(of: submission, at: request.now))
            }

            public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
                let checkpoint = try submission.checkpoint.decode(Checkpoint.self)
                // COUNTERPART: ask it what happened to the transfer.
                guard let booked = await ledger.booked[checkpoint.transferID] else {
                    return RailPaymentStatus(reference: submission.reference, state: .submitted, railCode: "not yet booked", observedAt: now)
                }
                return RailPaymentStatus(reference: submission.reference, state: .settled, railCode: "booked", observedAt: now, credited: booked.amount)
            }
        }

        """
    }

    var hostSource: String {
        """
        import Foundation
        import RailHost
        import RailKit
        import RailKitSupport
        import \(typeName)Rail

        // `\(name)-rail [settings.json] [port]`: the rail in its own process, over the remote rail protocol.
        // A router adds it with a `remote` rail: {"url": "http://127.0.0.1:<port>", "token": {"environment": "\(environmentPrefix)_RAIL_TOKEN"}}.
        let arguments = CommandLine.arguments.dropFirst()
        let settingsFile = arguments.first ?? "Config/\(name).json"
        let port = arguments.dropFirst().first.flatMap { Int($0) } ?? 0
        guard let token = ProcessInfo.processInfo.environment["\(environmentPrefix)_RAIL_TOKEN"], !token.isEmpty else {
            FileHandle.standardError.write(Data("\(name)-rail: set \(environmentPrefix)_RAIL_TOKEN to the bearer token routers send\\n".utf8))
            exit(3)
        }
        do {
            let adapter = try RailFactory(\(typeName)Rail.self).makeAdapter(
                id: "\(name)", settings: try Data(contentsOf: URL(fileURLWithPath: settingsFile)), file: settingsFile,
                context: RailConfigurationContext(calendars: [:]))
            try await RailHost(adapter: adapter, token: token).run(port: port) { bound in
                FileHandle.standardOutput.write(Data("{\\"ready\\": true, \\"url\\": \\"http://127.0.0.1:\\(bound)\\"}\\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("\(name)-rail: \\(error)\\n".utf8))
            exit(3)
        }

        """
    }

    var testSource: String {
        """
        import Foundation
        import RailKit
        import RailKitSupport
        import RailKitTesting
        import Testing
        @testable import \(typeName)Rail

        @Suite("\(name) rail")
        struct \(typeName)RailTests {
            static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

            static func rail() throws -> \(typeName)Rail {
                let adapter = try RailFactory(\(typeName)Rail.self).makeAdapter(
                    id: "\(name)", settings: try Data(contentsOf: package.appendingPathComponent("Config/\(name).json")),
                    file: "Config/\(name).json", context: RailConfigurationContext(calendars: [:]))
                return try #require(adapter as? \(typeName)Rail)
            }

            static func intent(_ amount: String, country: String = "HK", currency: Currency = .usd) throws -> PaymentIntent {
                try PaymentIntent(
                    debtor: Party(name: "Acme Components Inc", country: .unitedStates, accounts: AccountDetails(accountNumber: "000123456789")),
                    creditor: Party(name: "Harbour Supply Ltd", country: try CountryCode(country), accounts: AccountDetails(accountNumber: "012345678901")),
                    sourceCurrency: currency, destinationCurrency: currency, amount: PaymentAmount(try .fiat(amount, currency), fixed: .send))
            }

            @Test("the conformance kit passes: quotes, declines, and execution journaled before the transfer leaves, never twice")
            func conformance() async throws {
                let rail = try Self.rail()
                let ledger = rail.ledger
                let market = try AdapterFixtures.market(asOf: Date(timeIntervalSince1970: 0), rates: ["USD/EUR": "0.9200"], coinPricesUSD: [:])
                // Instants cross the wire to the millisecond: a whole second reads back unchanged.
                let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
                try await RailConformance(adapter: rail, market: market, now: now, scenarios: [
                    ConformanceScenario("USD to a Hong Kong supplier", intent: try Self.intent("25000.00"), expect: .quote),
                    ConformanceScenario("a creditor elsewhere", intent: try Self.intent("25000.00", country: "SG"), expect: .decline(.corridorNotSupported)),
                    ConformanceScenario("another currency", intent: try Self.intent("25000.00", currency: .eur), expect: .decline(.corridorNotSupported)),
                    ConformanceScenario("above the maximum", intent: try Self.intent("2000000.00"), expect: .decline(.amountAboveMaximum)),
                ], execution: ExecutionCheck(polls: 1, counterpart: CounterpartObserver {
                    // In the order they arrived: the kit reads each execution's new submissions off the end.
                    await ledger.booked.values.sorted { $0.at < $1.at }.map { ObservedSubmission(key: $0.transferID, at: $0.at) }
                })).run()
            }
        }

        """
    }

    var settingsFile: String {
        """
        {
          "displayName": "\(typeName) book transfer",
          "currency": "USD",
          "creditorCountries": ["HK"],
          "minimum": { "amount": "1.00", "currency": "USD" },
          "maximum": { "amount": "1000000.00", "currency": "USD" },
          "fee": { "fixed": { "amount": "5.00", "currency": "USD" }, "source": "\(name)'s fee schedule [E]: replace with the published figure and its source" },
          "latency": { "earliest": { "seconds": 1 }, "p50": { "seconds": 60 }, "p95": { "seconds": 600 },
                       "source": "\(name)'s stated settlement time [E]: replace with the published figure and its source" },
          "quoteValiditySeconds": 60
        }

        """
    }

    var readme: String {
        """
        # The \(name) rail

        A Switchyard rail adapter in its own package, made by `switchyard rail new \(name)`.

        ```sh
        swift build && swift test                   # the conformance kit against the rail
        \(environmentPrefix)_RAIL_TOKEN=secret swift run \(name)-rail Config/\(name).json 8700   # serve it
        ```

        A router adds it by configuration alone: a rail entry `{"id": "\(name)", "adapter": "remote",
        "settings": "rails/\(name).json"}` in its `switchyard.json`, and `rails/\(name).json` =
        `{"url": "http://127.0.0.1:8700", "token": {"environment": "\(environmentPrefix)_RAIL_TOKEN"}}`
        (https off loopback). `switchyard rails` then lists it with its protocol version.

        Replace what is marked `COUNTERPART:` with the system the rail pays through, and the settings'
        `[E]` figures with published ones and their sources.

        """
    }
}

/// Why a rail could not be scaffolded (exit 2 for a bad name, 1 for a file system problem).
struct RailScaffoldError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
