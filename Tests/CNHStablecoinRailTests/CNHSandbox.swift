import CNHStablecoinRail
import DevChainTesting
import EVMKit
import FXQuotes
import Foundation
import Logging
import OffRampAPI
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
import SandboxFXDesk
import SandboxOffRamp
import Synchronization

/// A clock tests move, shared by the FX desk and the off-ramp partner.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    /// Seconds added after every read (a slow counterpart: each call happens later than the last).
    private let step: TimeInterval

    init(_ start: Date = Fixture.now, step: TimeInterval = 0) {
        current = Mutex(start)
        self.step = step
    }

    func now() -> Date {
        current.withLock { value in
            defer { value = value.addingTimeInterval(step) }
            return value
        }
    }

    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The CNH rail executing against real counterparts: a dev chain serving chain id 1030 with a
/// 6-decimal token standing in for AxCNH, the sandbox FX desk over HTTP (SEP-38 style) and the
/// simulated off-ramp partner over HTTP, which checks funding on the same chain.
struct CNHSandbox {
    let chain: DevChain
    let token: SandboxDepositToken
    let liquidity: LocalKeySigner
    let creditorWallet: EVMAddress
    let depositWallet: EVMAddress
    let desk: RunningFXDesk
    let partner: RunningOffRamp
    let clock: TestClock
    let rail: any RailAdapter
    /// The liquidity wallet's signing key, as configured (never to appear in a log line).
    let liquidityKey: String
    /// With `recording`: proxies before the node and the FX dealer, recording what moves money
    /// (each raw transaction, each FX booking) as those counterparts received it.
    var proxies = [RecordingProxy]()
    /// With `wire`: proxies before the FX dealer and the off-ramp partner recording every exchange
    /// (request and answer), for checks against the documented wire schemas.
    var wireProxies = [RecordingProxy]()
    /// The node's URL carries a provider key in its path, as hosted nodes do (the dev chain ignores the path).
    static let rpcKey = "sandbox-provider-key-0f3a9c"

    /// One chain-1030 dev chain per test process (the deposit-token tests use 31337).
    private static let conflux = Task { try await DevChain.start(chainID: 1030) }

    /// 10,000,000 CNH of inventory in the liquidity wallet, unless told.
    static func make(inventory: Wei = Wei(10_000_000 * 1_000_000), deskClock: TestClock? = nil,
                     logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), recording: Bool = false,
                     wire: Bool = false, loseFirstBookingAnswer: Bool = false) async throws -> CNHSandbox {
        let chain = try await conflux.value
        let token = try await SandboxDepositToken.deploy(on: chain, decimals: 6)
        let (liquidity, keyHex) = try await chain.newAccount()
        let creditor = try await chain.newAccount(ether: 0).signer.address
        let deposit = try await chain.newAccount(ether: 0).signer.address
        try await token.allowlist(liquidity.address)
        try await token.allowlist(creditor)
        try await token.allowlist(deposit)
        if inventory.amount > 0 { try await token.mint(inventory, to: liquidity.address) }

        let clock = TestClock()
        let calendars = try AdapterFixtures.calendars(in: Fixture.config.appendingPathComponent("calendars"))
        let table = try FXRateTable.load(from: Fixture.config.appendingPathComponent("market/fx-desk.json"))
        let deskClock = deskClock ?? clock
        // The dealer and the partner require credentials; the rail sends them from its environment.
        let credentials = (fx: "fx-" + UUID().uuidString, offRamp: "offramp-" + UUID().uuidString)
        let desk = try await RunningFXDesk.start(desk: ConfiguredFXProvider(table: table, market: Fixture.market), token: credentials.fx,
                                                 clock: { deskClock.now() })
        let settings = try OffRampPartnerSettings.load(from: Fixture.config.deletingLastPathComponent().appendingPathComponent("Sandbox/config/offramp-partner.json"))
        let partner = try await RunningOffRamp.start(partner: try SimulatedOffRamp(
            settings: settings, client: chain.client, chainID: chain.chainID, token: token.address, depositWallet: deposit,
            calendars: calendars, clock: { clock.now() }), token: credentials.offRamp)

        let file = Fixture.config.appendingPathComponent("rails/axcnh-conflux.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        var tokenSettings = json["token"] as! [String: Any]
        var contract = tokenSettings["contract"] as! [String: Any]
        contract["value"] = token.address.checksummed
        tokenSettings["contract"] = contract
        json["token"] = tokenSettings
        var finality = json["finality"] as! [String: Any]
        finality["policy"] = "two-confirmations"
        json["finality"] = finality
        // With `loseFirstBookingAnswer`, the dealer books the first booking but its answer is lost (503 instead).
        let answered = Mutex(!loseFirstBookingAnswer)
        let proxies = recording ? [try await RecordingProxy.start(forwardingTo: chain.url, classify: RecordingProxy.rawTransaction),
                                   try await RecordingProxy.start(forwardingTo: desk.url, classify: Self.booking, loseAnswer: { _ in
                                       answered.withLock { first in defer { first = true }; return first ? nil : 503 }
                                   })] : []
        let everything: @Sendable (String, String, Data) -> String? = { method, path, _ in "\(method) \(path)" }
        let wireProxies = wire ? [try await RecordingProxy.start(forwardingTo: desk.url, classify: everything),
                                  try await RecordingProxy.start(forwardingTo: partner.url, classify: everything)] : []
        let factory = RailFactory(CNHStablecoinRail.self, environment: [
            "SWITCHYARD_CNH_RPC_URL": (proxies.first?.url ?? chain.url).appendingPathComponent("v3").appendingPathComponent(rpcKey).absoluteString,
            "SWITCHYARD_CNH_LIQUIDITY_KEY": keyHex,
            "SWITCHYARD_FX_RFQ_URL": (wireProxies.first?.url ?? proxies.last?.url ?? desk.url).absoluteString,
            "SWITCHYARD_OFFRAMP_URL": (wireProxies.last?.url ?? partner.url).absoluteString,
            "SWITCHYARD_FX_RFQ_TOKEN": credentials.fx,
            "SWITCHYARD_OFFRAMP_TOKEN": credentials.offRamp,
        ])
        let rail = try factory.makeAdapter(id: "axcnh-conflux", settings: try JSONSerialization.data(withJSONObject: json),
                                           file: "axcnh-conflux.json", context: RailConfigurationContext(calendars: calendars, logger: logger))
        return CNHSandbox(chain: chain, token: token, liquidity: liquidity, creditorWallet: creditor, depositWallet: deposit,
                          desk: desk, partner: partner, clock: clock, rail: rail, liquidityKey: keyHex, proxies: proxies,
                          wireProxies: wireProxies)
    }

    /// A booking at the FX dealer (`POST /quote/{id}/book`), named by the firm quote's id.
    @Sendable static func booking(method: String, path: String, body: Data) -> String? {
        guard method == "POST", let match = path.firstMatch(of: /^\/quote\/([^\/]+)\/book$/) else { return nil }
        return String(match.1)
    }

    /// What the node and the dealer received, as the conformance kit reads it.
    var counterpart: CounterpartObserver {
        CounterpartObserver.merging(proxies.map { proxy in
            CounterpartObserver { await proxy.recorded().map { ObservedSubmission(key: $0.key, at: $0.at) } }
        })
    }

    func stop() {
        for proxy in proxies + wireProxies { proxy.stop() }
        desk.stop()
        partner.stop()
    }

    /// A US buyer paying a Hong Kong supplier: to its wallet on chain 1030, or (no wallet) to its HK bank account.
    func intent(_ amount: Money, fixed: FixedSide, wallet: Bool, creditorCountry: String = "HK", bic: String = "SWYEHKHH",
                travelRule: Bool = true) -> PaymentIntent {
        let debtor = Party(name: "Acme Imports Inc", country: .unitedStates,
                           accounts: AccountDetails(accountNumber: "000123456789", bic: try! BIC("SWYAUS33")))
        let creditor = Party(name: "Harbour Supply Ltd", country: try! CountryCode(creditorCountry), accounts: AccountDetails(
            accountNumber: "012345678901", bic: try! BIC(bic),
            wallets: wallet ? [Wallet(chain: Fixture.conflux, address: creditorWallet)] : []))
        var intent = try! PaymentIntent(debtor: debtor, creditor: creditor, sourceCurrency: .usd, destinationCurrency: .cnh,
                                        amount: PaymentAmount(amount, fixed: fixed))
        if travelRule {
            intent.travelRule = TravelRuleData(
                originator: TravelRuleParty(name: "Acme Imports Inc", accountNumber: "000123456789",
                                            geographicAddress: PostalAddress(townName: "New York", country: .unitedStates)),
                beneficiary: TravelRuleParty(name: "Harbour Supply Ltd", accountNumber: wallet ? creditorWallet.checksummed : "012345678901"))
        }
        return intent
    }

    func quote(_ intent: PaymentIntent) async throws -> Quote {
        let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-\(UUID())"), intent: intent, now: Fixture.now, market: Fixture.market))
        guard case .quoted(let quote) = outcome else { throw RailError.invalidResponse("expected a quote, got \(outcome)") }
        return quote
    }

    func execute(_ intent: PaymentIntent, quote: Quote, journal: CollectingRecorder = CollectingRecorder(), id: String = UUID().uuidString,
                 logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> ExecutionReceipt {
        try await ExecutorHarness.execute(rail, paymentID: id, intent: intent, quote: quote, now: Fixture.now, market: Fixture.market,
                                          recorder: journal, logger: logger)
    }

    /// Polls until terminal: a block mined and half an hour passing at the partner between polls.
    func settle(_ submission: RailSubmission, polls: Int = 8) async throws -> RailPaymentStatus {
        var status = try await rail.status(of: submission, at: Fixture.now)
        var count = 0
        while !status.state.isTerminal, count < polls {
            try await advance()
            status = try await rail.status(of: submission, at: Fixture.now)
            count += 1
        }
        return status
    }

    func advance() async throws {
        try await chain.mine()
        clock.advance(1800)
    }

    func tokens(of holder: EVMAddress) async throws -> UInt128 { try await token.balance(of: holder) }
}
