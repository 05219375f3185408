import DepositTokenRail
import DevChainTesting
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP

/// A deposit-token rail built from `Config/rails/deposit-token-sandbox.json`, pointed at the dev
/// chain and a freshly deployed sandbox token, signing for a fresh funded payer.
struct SandboxRail {
    let chain: DevChain
    let token: SandboxDepositToken
    let payer: LocalKeySigner
    let payee: EVMAddress
    let rail: any RailAdapter
    /// With `recording`: the proxy between the rail and the node, recording each raw transaction sent.
    var proxy: RecordingProxy? = nil
    /// The chain id the rail is configured for (the dev chain's own unless a test says otherwise).
    var configuredChainID: UInt64? = nil

    static let calendars = Fixture.config.appendingPathComponent("calendars")

    /// Deploys a token (18 decimals unless told), allowlists payer and payee, mints `balance` base units to the payer.
    static func make(on chain: DevChain? = nil, tokenDecimals: UInt8 = 18, balance: Wei = Wei(1_000_000 * 1_000_000_000_000_000_000),
                     allowlistPayee: Bool = true, recording: Bool = false, configuredChainID: UInt64? = nil,
                     loseAnswer: @escaping @Sendable (String) -> Int? = { _ in nil },
                     loseRequest: @escaping @Sendable (String) -> Bool = { _ in false }) async throws -> SandboxRail {
        let chain = if let chain { chain } else { try await DevChain.shared() }
        let token = try await SandboxDepositToken.deploy(on: chain, decimals: tokenDecimals)
        let (payer, keyHex) = try await chain.newAccount()
        let payee = try await chain.newAccount(ether: 0).signer.address
        try await token.allowlist(payer.address)
        if allowlistPayee { try await token.allowlist(payee) }
        if balance.amount > 0 { try await token.mint(balance, to: payer.address) }

        let file = Fixture.config.appendingPathComponent("rails/deposit-token-sandbox.json")
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        var tokenSettings = settings["token"] as! [String: Any]
        var contract = tokenSettings["contract"] as! [String: Any]
        contract["value"] = token.address.checksummed
        tokenSettings["contract"] = contract
        tokenSettings["chainId"] = configuredChainID ?? chain.chainID
        settings["token"] = tokenSettings
        let proxy = recording ? try await RecordingProxy.start(forwardingTo: chain.url, classify: RecordingProxy.rawTransaction,
                                                               loseAnswer: loseAnswer, loseRequest: loseRequest) : nil
        let factory = RailFactory(DepositTokenRail.self, environment: [
            "SWITCHYARD_DEVCHAIN_URL": (proxy?.url ?? chain.url).absoluteString,
            "SWITCHYARD_SANDBOX_SIGNER_KEY": keyHex,
        ])
        let context = RailConfigurationContext(calendars: try AdapterFixtures.calendars(in: calendars))
        let rail = try factory.makeAdapter(id: "deposit-token-sandbox", settings: try JSONSerialization.data(withJSONObject: settings),
                                           file: "deposit-token-sandbox.json", context: context)
        return SandboxRail(chain: chain, token: token, payer: payer, payee: payee, rail: rail, proxy: proxy, configuredChainID: configuredChainID)
    }

    /// What the node received, as the conformance kit reads it.
    var counterpart: CounterpartObserver? {
        proxy.map { proxy in CounterpartObserver { await proxy.recorded().map { ObservedSubmission(key: $0.key, at: $0.at) } } }
    }

    var sandboxChain: ChainID { ChainID(evm: configuredChainID ?? chain.chainID) }

    func intent(amount: String, payee: EVMAddress? = nil) throws -> PaymentIntent {
        func party(_ name: String, _ country: String, _ wallet: EVMAddress) throws -> Party {
            Party(name: name, country: try CountryCode(country), kind: .institutional,
                  accounts: AccountDetails(accountNumber: "12345678", bic: try BIC(country == "US" ? "SWYAUS33" : "SWYEHKHH"),
                                           wallets: [Wallet(chain: sandboxChain, address: wallet)]))
        }
        return try PaymentIntent(debtor: party("Acme Imports", "US", payer.address), creditor: party("Harbour Supply", "HK", payee ?? self.payee),
                                 sourceCurrency: .usd, destinationCurrency: .usd, amount: PaymentAmount(try .fiat(amount, .usd), fixed: .send))
    }

    func quote(_ intent: PaymentIntent, now: Date = Fixture.now) async throws -> QuoteOutcome {
        try await rail.quote(QuoteRequest(quoteID: QuoteID("q-\(UUID())"), intent: intent, now: now, market: Fixture.market))
    }

    /// Polls status, mining a block between polls, until the payment is terminal.
    func settle(_ submission: RailSubmission, polls: Int = 5) async throws -> RailPaymentStatus {
        var status = try await rail.status(of: submission, at: Date())
        var count = 0
        while !status.state.isTerminal, count < polls {
            try await chain.mine()
            status = try await rail.status(of: submission, at: Date())
            count += 1
        }
        return status
    }
}
