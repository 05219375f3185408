import EVMKit
import Foundation
import Logging
import RailKit
import RailKitSupport

/// A bank deposit token (JPMD-style): an allowlisted ERC-20 on an L2, 24/7, gas-only on chain.
///
/// With a node configured (`network.rpcURL`), quotes read the chain: both wallets on the token's
/// allowlist, the debtor's balance, gas from eth_estimateGas and eth_feeHistory priced at the
/// market's coin price, and the token's decimals (once). With a signer (`execution`), the rail
/// executes ERC-20 transfers and follows them to finality. Without a node, quotes come from
/// configuration and the rail cannot execute. A bank-payout corridor adds the payout bank's FX
/// spread, fee and latency; the rail executes its token leg to the payout bank's wallet.
public struct DepositTokenRail: ConfigurableRail {
    public static let adapterType = "deposit-token"

    public let descriptor: RailDescriptor
    let settings: DepositTokenSettings
    let token: Token
    /// `token` as an asset, made once: each `.token(token)` boxes the token anew (an allocation per quote).
    let tokenAsset: Asset
    let finality: LatencyProfile
    let finalityProfile: FinalityProfile
    let finalityRule: TransferFinality
    /// Payout latency by corridor index (bank-payout corridors only).
    let payoutLatencies: [Int: LatencyProfile]
    let configuredAllowlist: Set<EVMAddress>?
    let chain: DepositTokenChain?
    /// Why the chain is not read, when it is not.
    let offlineReason: String?
    /// The payout banks' wallets in EIP-55 form by corridor index, checksummed once at load: a
    /// checksum is a Keccak-256 hash, and every quote names the wallet.
    /// (Arrays by corridor index, not dictionaries: an index is read without hashing.)
    let payoutWalletTexts: [String?]
    /// Assumption sources that depend only on the configuration, made once at load.
    let decimalsSource: String
    let allowlistSource: String
    let chainNotRead: String
    /// The configured network fee and its text, worked out at load (only the coin's price is read per quote).
    let gas: PreparedGas
    /// Each payout corridor's fee text by corridor index (every corridor with payout settings has one).
    let payoutFeeDescriptions: [String?]

    public init(id: RailID, settings: DepositTokenSettings, context: RailConfigurationContext, environment: [String: String]) throws {
        self.settings = settings
        token = try settings.token.token(field: "token")
        tokenAsset = .token(token)
        guard let profile = settings.finality.profiles[settings.finality.policy] else {
            throw ValidationError(field: "finality.policy", value: settings.finality.policy, rule: "finality.unknown_policy",
                                  message: "not among finality.profiles (\(settings.finality.profiles.keys.sorted().joined(separator: ", ")))")
        }
        finalityProfile = profile
        finality = try profile.latency.resolve(context, field: "finality.profiles.\(settings.finality.policy)")
        finalityRule = try profile.rule(field: "finality.profiles.\(settings.finality.policy)")
        configuredAllowlist = settings.allowlist.wallets.map(Set.init)
        var payoutLatencies = [Int: LatencyProfile]()
        for (index, corridor) in settings.corridors.enumerated() {
            payoutLatencies[index] = try Self.validate(corridor, field: "corridors[\(index)]", settings: settings,
                                                       allowlist: configuredAllowlist, context: context)
        }
        self.payoutLatencies = payoutLatencies

        let connection = try Self.connect(settings, environment: environment, logger: context.logger(for: id))
        chain = connection.chain
        offlineReason = connection.offlineReason
        payoutWalletTexts = settings.corridors.map { corridor in
            corridor.delivery == .bankPayout ? corridor.payout?.wallet?.checksummed : nil
        }
        decimalsSource = connection.chain == nil ? "token.decimals: \(settings.token.decimals.source)" : "decimals() read on chain"
        allowlistSource = connection.chain?.allowlistQuery.map { "\($0) on chain" } ?? settings.allowlist.source
        chainNotRead = "not read: \(connection.offlineReason ?? "offline")"
        gas = try settings.gas.prepared(coin: settings.token.nativeToken)
        payoutFeeDescriptions = settings.corridors.map { corridor in corridor.payout.map { "\($0.partner) payout fee" } }
        descriptor = RailDescriptor(
            id: id, displayName: settings.displayName,
            capabilities: RailCapabilities(
                kind: .depositToken,
                corridors: settings.corridors.map {
                    Corridor(source: $0.source, destination: $0.destination, creditorCountries: $0.creditorCountries,
                             minimum: $0.minimum?.money, maximum: $0.maximum?.money)
                },
                assets: [.token(token), .token(settings.token.nativeToken)],
                operatingHours: .continuous, supportsFixedReceive: true,
                quoteOnlyReason: chain == nil ? offlineReason ?? "no node configured"
                    : chain?.submitter == nil ? "execution.signer's key is not set" : nil,
                quoteValiditySeconds: settings.quoteValiditySeconds, quoteCallsCounterpart: chain != nil))
    }

    private static func validate(_ corridor: DepositTokenSettings.CorridorSettings, field: String, settings: DepositTokenSettings,
                                 allowlist: Set<EVMAddress>?, context: RailConfigurationContext) throws -> LatencyProfile? {
        guard corridor.source == settings.token.denomination else {
            throw ValidationError(field: field + ".source", value: corridor.source.code, rule: "corridor.source",
                                  message: "a \(settings.token.symbol) corridor starts in its denomination \(settings.token.denomination)")
        }
        switch corridor.delivery {
        case .token:
            guard corridor.destination == corridor.source else {
                throw ValidationError(field: field + ".destination", value: corridor.destination.code, rule: "corridor.destination",
                                      message: "token delivery keeps the currency; use delivery bank-payout to convert")
            }
            return nil
        case .bankPayout:
            guard let payout = corridor.payout else {
                throw ValidationError(field: field + ".payout", value: "", rule: "corridor.payout_required",
                                      message: "a bank-payout corridor needs payout settings")
            }
            if let allowlist, let wallet = payout.wallet, !allowlist.contains(wallet) {
                throw ValidationError(field: field + ".payout.wallet", value: wallet.checksummed, rule: "corridor.payout_wallet",
                                      message: "the payout bank's wallet must be on the allowlist")
            }
            return try payout.latency.resolve(context, field: field + ".payout.latency")
        }
    }

    /// The node, signer and nonce store, when configured and available.
    private static func connect(_ settings: DepositTokenSettings,
                                environment: [String: String], logger: Logger) throws -> (chain: DepositTokenChain?, offlineReason: String?) {
        guard let rpcSetting = settings.network.rpcURL else { return (nil, "no network.rpcURL configured") }
        guard let rpcText = rpcSetting.resolve(environment) else {
            if case .environment(let name) = rpcSetting { return (nil, "environment variable \(name) (network.rpcURL) is not set") }
            return (nil, "network.rpcURL is empty")
        }
        // A node off loopback is reached over TLS (its URL often carries an API key); the error never echoes the key.
        let url = try EndpointURL.parse(rpcText, field: "network.rpcURL")
        let timeout = settings.network.timeoutSeconds ?? 10
        let client = EthereumClient(rpc: JSONRPCClient(url: url, timeout: .seconds(timeout), logger: logger))
        let chainID = settings.token.chainId
        var allowlistQuery: ABIFunction?
        if let query = settings.allowlist.onChainQuery {
            guard query.hasSuffix("(address)") else {
                throw ValidationError(field: "allowlist.onChainQuery", value: query, rule: "allowlist.query",
                                      message: "a function taking one address and returning bool, e.g. isAllowlisted(address)")
            }
            allowlistQuery = ABIFunction(query)
        }
        var submitter: TransactionSubmitter?
        var gasLimitPercent: UInt64 = 120
        if let execution = settings.execution, let signer = try execution.signer.signer(environment: environment, field: "execution.signer") {
            let store: any NonceStore = execution.nonceFile.map { FileNonceStore(url: URL(fileURLWithPath: $0)) } ?? InMemoryNonceStore()
            submitter = TransactionSubmitter(client: client, chainID: chainID, signer: signer,
                                             nonces: NonceManager(client: client, chainID: chainID, store: store))
            if let percent = execution.gasLimitPercent {
                guard (100...300).contains(percent) else {
                    throw ValidationError(field: "execution.gasLimitPercent", value: String(percent), rule: "execution.gas_limit_percent",
                                          message: "between 100 and 300 (% of eth_estimateGas)")
                }
                gasLimitPercent = UInt64(percent)
            }
        }
        let transfers = ERC20Transfers(client: client, chainID: chainID, token: settings.token.contract.value,
                                       configuredDecimals: settings.token.decimals.value, submitter: submitter, gasLimitPercent: gasLimitPercent)
        return (DepositTokenChain(transfers: transfers, allowlistQuery: allowlistQuery), nil)
    }

    /// The two ends of the token transfer for a payment, or why there are none.
    struct Route {
        var corridorIndex: Int
        var debtor: EVMAddress
        var recipient: EVMAddress
    }

    enum RouteOutcome {
        case success(Route)
        case failure(RailDecline)
    }

    /// At quote time the capabilities admit the payment (corridor, fixed side, limits); at
    /// execution only the corridor is looked up (the executor has admitted the payment again).
    func route(_ intent: PaymentIntent, admitting: Bool) -> RouteOutcome {
        // Capabilities list the corridors in settings order, so the index is the settings' too.
        let corridorIndex: Int
        if admitting {
            switch descriptor.capabilities.admit(intent) {
            case .declined(let decline): return .failure(decline)
            case .admitted(let index): corridorIndex = index
            }
        } else {
            guard let index = descriptor.capabilities.corridorIndex(serving: intent) else {
                return .failure(RailDecline(.corridorNotSupported, "The rail does not carry this payment's corridor."))
            }
            corridorIndex = index
        }
        guard let debtorWallet = intent.debtor.accounts.wallet(on: token.chain) else {
            return .failure(RailDecline(.debtorAccountMissing,
                "The debtor has no wallet on \(token.chain); \(token.symbol) moves only between allowlisted wallets."))
        }
        guard let debtor = try? debtorWallet.evmAddress(field: "debtor.accounts.wallets") else {
            return .failure(RailDecline(.debtorAccountMissing, "The debtor's wallet \(debtorWallet.address) is not a valid EVM address (EIP-55)."))
        }
        if let signer = chain?.submitter?.signer.address, signer != debtor {
            return .failure(RailDecline(.debtorWalletNotControlled,
                "This rail signs for \(signer); the debtor's wallet \(debtorWallet.address) is not one it controls."))
        }
        switch settings.corridors[corridorIndex].delivery {
        case .token:
            guard let creditorWallet = intent.creditor.accounts.wallet(on: token.chain) else {
                return .failure(RailDecline(.creditorAccountMissing,
                    "The creditor has no wallet on \(token.chain); \(token.symbol) is delivered only to allowlisted wallets."))
            }
            guard let recipient = try? creditorWallet.evmAddress(field: "creditor.accounts.wallets") else {
                return .failure(RailDecline(.creditorAccountMissing, "The creditor's wallet \(creditorWallet.address) is not a valid EVM address (EIP-55)."))
            }
            return .success(Route(corridorIndex: corridorIndex, debtor: debtor, recipient: recipient))
        case .bankPayout:
            return payoutRoute(settings.corridors[corridorIndex], index: corridorIndex, intent: intent, debtor: debtor)
        }
    }

    /// The route to a bank-payout corridor's payout bank. The corridor is read in place: a copy
    /// retained each of its strings and tiers, per quote.
    private func payoutRoute(_ corridor: borrowing DepositTokenSettings.CorridorSettings, index corridorIndex: Int, intent: PaymentIntent,
                             debtor: EVMAddress) -> RouteOutcome {
        guard let payoutWallet = corridor.payout?.wallet else {
            return .failure(RailDecline(.railDisabled,
                "No payout bank wallet is configured for this corridor (corridors[\(corridorIndex)].payout.wallet); set the payout bank's own wallet in a configuration overlay."))
        }
        // The payout bank credits the creditor's bank account: without one, or with one outside
        // the corridor's countries, the rail cannot deliver what its quote would promise.
        guard intent.creditor.accounts.hasBankAccount else {
            return .failure(RailDecline(.creditorAccountMissing,
                "\(corridor.payout!.partner) credits the creditor's bank account; the creditor has none (a BIC with an account number or IBAN)."))
        }
        if let countries = corridor.creditorCountries,
           let decline = intent.creditor.accounts.payoutCountryDecline(countries: countries, payer: corridor.payout!.partner) {
            return .failure(decline)
        }
        return .success(Route(corridorIndex: corridorIndex, debtor: debtor, recipient: payoutWallet))
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        let intent = request.intent
        let route: Route
        switch self.route(intent, admitting: true) {
        case .failure(let decline): return .declined(decline)
        case .success(let found): route = found
        }
        // Without a node the quote is configuration alone, made synchronously (see `priced`).
        guard let chain else { return try quoteFromConfiguration(request, route: route) }

        // Network fee and the allowlist from the chain.
        let networkFee: Charge
        var assumptions = [Assumption]()
        var balance: Wei?
        do {
            try await chain.transfers.verifyChainAndDecimals()
            let eligibility = try await chain.eligibility(debtor: route.debtor, recipient: route.recipient)
            if let decline = allowlistDecline(route, onChain: eligibility) { return .declined(decline) }
            balance = eligibility.debtorBalance
            // One base unit prices the gas (an ERC-20 transfer's gas does not depend on the amount).
            switch try await chain.transfers.transferGas(from: route.debtor, to: route.recipient, amount: Wei(min(1, eligibility.debtorBalance.amount))) {
            case .reverts(let reason):
                return .declined(RailDecline(.transactionReverted, "A transfer from \(route.debtor) to \(route.recipient) would revert: \(reason)."))
            case .gas(let gas):
                let coinAmount = Money(minorUnits: Int128(gas.expectedCost.amount), asset: .token(settings.token.nativeToken))
                let (charge, price) = try Charge.networkFee(coinAmount, market: request.market, currency: intent.sourceCurrency,
                                                            description: "\(settings.token.nativeCoin) gas for the \(token.symbol) transfer")
                networkFee = charge
                assumptions.append(Assumption("gas", "\(gas.estimate) gas (eth_estimateGas), limit \(gas.limit)", source: settings.network.name))
                assumptions.append(Assumption("fee_per_gas", "next base fee \(gas.fees.nextBaseFee) wei + tip \(gas.fees.maxPriorityFeePerGas) wei",
                                              source: "eth_feeHistory at block \(gas.fees.basedOnBlock)"))
                assumptions.append(Assumption("\(settings.token.nativeCoin.lowercased())_price", .price(price), source: request.market.source))
            }
        } catch let error as EVMClientError {
            throw RailError.unavailable(error.description)
        }
        return try priced(request, route: route, networkFee: networkFee, assumptions: assumptions, balance: balance)
    }

    /// The quote without a node: the allowlist and gas from configuration.
    func quoteFromConfiguration(_ request: QuoteRequest, route: Route) throws -> QuoteOutcome {
        if let decline = allowlistDecline(route, onChain: nil) { return .declined(decline) }
        var (networkFee, assumptions) = try gas.networkFee(market: request.market, currency: request.intent.sourceCurrency)
        assumptions.append(Assumption("chain", chainNotRead, source: settings.network.source))
        return try priced(request, route: route, networkFee: networkFee, assumptions: assumptions, balance: nil)
    }

    /// The quote once the network fee is known. Synchronous: an async function keeps its locals in
    /// a task-allocated frame, and a quote's many large values were copied into it.
    func priced(_ request: QuoteRequest, route: Route, networkFee: Charge, assumptions: [Assumption], balance: Wei?) throws -> QuoteOutcome {
        let intent = request.intent
        var assumptions = assumptions
        assumptions.reserveCapacity(assumptions.count + 6)
        var profile = finality
        var afterConversion = [Charge]()
        var applied = ExchangeRate.identity(intent.sourceCurrency)
        let mid = try request.market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency)
        if let (rate, fee) = try payoutPricing(settings.corridors[route.corridorIndex], index: route.corridorIndex, request: request, mid: mid,
                                               assumptions: &assumptions) {
            profile = payoutLatencies[route.corridorIndex]!
            applied = rate
            afterConversion.append(fee)
        }

        var billed = [networkFee]
        if let bps = settings.issuerFee.basisPoints, bps > .zero {
            billed.append(try settings.issuerFee.charge(kind: .issuerFee, description: "\(token.symbol) issuer fee",
                                                        bearer: .debtor, in: intent.sourceCurrency, market: request.market))
        }
        let pricing = PaymentPricing(
            source: intent.sourceCurrency, destination: intent.destinationCurrency, applied: applied, mid: mid,
            midSource: request.market.source, billed: billed, deductedAfterConversion: afterConversion)
        let breakdown: PriceBreakdown
        do {
            breakdown = try pricing.price(intent.amount.money, fixed: intent.amount.fixed)
        } catch .consumedByFees(let detail) {
            return .declined(RailDecline(.amountTooSmallAfterFees, "Fees would consume the payment: \(detail)."))
        } catch .money(let error) {
            throw RailError.money(error)
        }
        // The principal moves on chain as tokens: 1 USD = 1 token, in the token's base units, exactly.
        let onChain = try breakdown.principal.rebased(to: tokenAsset)
        if let balance, let decline = insufficientFunds(route, balance: balance, needed: onChain) { return .declined(decline) }
        assumptions.append(Assumption("token_amount",
                                      .tokenAmount(onChain, recipient: payoutWalletTexts[route.corridorIndex] ?? route.recipient.checksummed),
                                      source: decimalsSource))
        assumptions.append(Assumption("finality_policy", settings.finality.policy, source: finalityProfile.latency.source))
        assumptions.append(Assumption("allowlist", "debtor and recipient wallets allowlisted", source: allowlistSource))
        return .quoted(Quote(
            id: request.quoteID, railID: descriptor.id, firmness: .indicative, createdAt: request.now,
            expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
            breakdown: breakdown, eta: try profile.estimate(from: request.now), assumptions: assumptions))
    }

    /// The payout bank's FX rate and fee on a bank-payout corridor (nil on a token corridor), with
    /// their assumptions. The corridor is read in place: a copy retained each of its strings and
    /// tiers, per quote.
    private func payoutPricing(_ corridor: borrowing DepositTokenSettings.CorridorSettings, index: Int, request: QuoteRequest, mid: ExchangeRate,
                               assumptions: inout [Assumption]) throws -> (applied: ExchangeRate, fee: Charge)? {
        guard corridor.delivery == .bankPayout, corridor.payout != nil else { return nil }
        let intent = request.intent
        let sizeInSource = try intent.sourceEquivalent(mid: mid)
        guard let tier = SpreadTier.tier(for: sizeInSource, in: corridor.payout!.fxSpreadTiers) else {
            throw RailError.misconfigured("no FX spread tier for \(sizeInSource)")
        }
        let applied = try rate(belowMid: mid, basisPoints: tier.basisPoints)
        let fee = try corridor.payout!.fee.charge(
            kind: .payoutFee, description: payoutFeeDescriptions[index]!, bearer: .creditor,
            in: intent.destinationCurrency, market: request.market)
        assumptions.append(Assumption("payout_fx_spread_bps", .decimal(tier.basisPoints), source: tier.source))
        assumptions.append(Assumption("payout_fee", corridor.payout!.fee.fixed.map { .money($0.money) } ?? .text("0"), source: corridor.payout!.fee.source))
        if !intent.creditor.accounts.hasBankAccount {
            assumptions.append(Assumption("creditor_bank_account", "not supplied; needed before execution", source: "payment intent"))
        }
        return (applied, fee)
    }

    /// Why the transfer's two wallets may not use the token: the chain's answer where it was asked,
    /// else the configured list (if any). Connected without a query, eth_estimateGas still catches a revert.
    func allowlistDecline(_ route: Route, onChain: DepositTokenChain.Eligibility?) -> RailDecline? {
        func allowed(_ wallet: EVMAddress, _ answer: Bool?) -> Bool {
            answer ?? configuredAllowlist?.contains(wallet) ?? true
        }
        if !allowed(route.debtor, onChain?.debtorAllowlisted) {
            return RailDecline(.counterpartyNotAllowlisted, "The debtor's wallet \(route.debtor) is not on the \(token.symbol) allowlist.")
        }
        if !allowed(route.recipient, onChain?.recipientAllowlisted) {
            let whose = settings.corridors[route.corridorIndex].delivery == .token ? "creditor's wallet" : "payout bank's wallet"
            return RailDecline(.counterpartyNotAllowlisted, "The \(whose) \(route.recipient) is not on the \(token.symbol) allowlist.")
        }
        return nil
    }

    /// Why the debtor's token balance cannot cover `needed` (token base units), if it cannot.
    func insufficientFunds(_ route: Route, balance: Wei, needed: Money) -> RailDecline? {
        guard balance.amount < UInt128(needed.minorUnits) else { return nil }
        let held = Money(minorUnits: Int128(balance.amount), asset: .token(token))
        return RailDecline(.insufficientFunds,
            "The debtor's wallet \(route.debtor) holds \(held.decimalValue) \(token.symbol); the payment needs \(needed.decimalValue).")
    }
}
