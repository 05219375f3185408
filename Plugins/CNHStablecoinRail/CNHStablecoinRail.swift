import EVMKit
import FXQuotes
import Foundation
import OffRampAPI
import RailKit
import RailKitSupport

/// An offshore-yuan stablecoin (AxCNH-style) on an EVM chain: the debtor's currency is bought
/// as CNH at an on-ramp, minted/transferred as tokens (6 decimals) and either left in the
/// creditor's wallet or paid out to a Hong Kong bank account by an off-ramp partner.
///
/// Never delivers to a mainland-China resident, whatever the policy file says: the rule is
/// enforced by the router's policy and again here, at quote and at execution.
///
/// With its counterparts configured (`execution`: node, liquidity-wallet key, FX dealer,
/// off-ramp partner) the rail executes in legs; see ``execute(_:)``.
public struct CNHStablecoinRail: ConfigurableRail {
    public static let adapterType = "cnh-stablecoin"

    public let descriptor: RailDescriptor
    let settings: CNHStablecoinSettings
    let token: Token
    /// `token` as an asset, made once: each `.token(token)` boxes the token anew (an allocation per quote).
    let tokenAsset: Asset
    let offRampLatency: LatencyProfile
    let walletLatency: LatencyProfile
    let finalityRule: TransferFinality
    let issuerCharge: Charge
    let execution: CNHExecution?
    /// Why the rail only quotes, when it does.
    let quoteOnlyReason: String?
    let texts: QuoteTexts

    /// The quote's texts that depend only on the configuration, made once at load rather than
    /// for every quote of every routing decision.
    struct QuoteTexts: Sendable {
        var mintFee: String
        var offRampFee: String
        var tokenDecimalsSource: String
        var offRampDelivery: String
        var quotesOnly: String?
        /// The configured network fee (only the coin's price is read per quote).
        var gas: PreparedGas

        init(settings: CNHStablecoinSettings, token: Token, quoteOnlyReason: String?) throws {
            mintFee = "\(token.symbol) issuer mint fee"
            offRampFee = "\(settings.offRamp.partner) off-ramp fee"
            tokenDecimalsSource = "token.decimals: \(settings.token.decimals.source)"
            offRampDelivery = "off-ramp to a Hong Kong bank account via \(settings.offRamp.partner)"
            quotesOnly = quoteOnlyReason.map { "quotes only: \($0)" }
            gas = try settings.gas.prepared(coin: settings.token.nativeToken)
        }
    }

    public init(id: RailID, settings: CNHStablecoinSettings, context: RailConfigurationContext, environment: [String: String]) throws {
        self.settings = settings
        token = try settings.token.token(field: "token")
        tokenAsset = .token(token)
        try Self.validateCurrencies(settings)
        offRampLatency = try settings.offRamp.latency.resolve(context, field: "offRamp.latency")
        walletLatency = try settings.walletDelivery.latency.resolve(context, field: "walletDelivery.latency")
        guard let profile = settings.finality.profiles[settings.finality.policy] else {
            throw ValidationError(field: "finality.policy", value: settings.finality.policy, rule: "finality.unknown_policy",
                                  message: "not among finality.profiles (\(settings.finality.profiles.keys.sorted().joined(separator: ", ")))")
        }
        finalityRule = try profile.rule(field: "finality.profiles.\(settings.finality.policy)")
        try Self.validateIssuerFee(settings)
        issuerCharge = Charge(kind: .issuerFee, description: "\(settings.token.symbol) issuer fee", bearer: .creditor,
                              fixed: settings.issuerFee.fixed?.money, basisPoints: settings.issuerFee.basisPoints)
        (execution, quoteOnlyReason) = try CNHExecution.connect(settings, environment: environment, logger: context.logger(for: id))
        texts = try QuoteTexts(settings: settings, token: token, quoteOnlyReason: quoteOnlyReason)
        descriptor = RailDescriptor(
            id: id, displayName: settings.displayName,
            capabilities: RailCapabilities(
                kind: .stablecoin,
                corridors: settings.corridors.map {
                    Corridor(source: $0.source, destination: $0.destination, minimum: $0.minimum?.money, maximum: $0.maximum?.money)
                },
                assets: [.token(token), .token(settings.token.nativeToken)],
                operatingHours: .continuous, supportsFixedReceive: true, quoteOnlyReason: quoteOnlyReason,
                quoteValiditySeconds: settings.quoteValiditySeconds, quoteCallsCounterpart: false))
    }

    /// CNH where the rail's settings name the currency it is denominated and delivers in.
    private static func validateCurrencies(_ settings: CNHStablecoinSettings) throws {
        guard settings.token.denomination == .cnh else {
            throw ValidationError(field: "token.denomination", value: settings.token.denomination.code, rule: "token.denomination",
                                  message: "an offshore-yuan stablecoin is denominated in CNH")
        }
        if let index = settings.corridors.firstIndex(where: { $0.destination != .cnh }) {
            throw ValidationError(field: "corridors[\(index)].destination", value: settings.corridors[index].destination.code,
                                  rule: "corridor.destination", message: "this rail delivers CNH only")
        }
    }

    /// The issuer's fee is taken in CNH (checked after the latencies and finality, as it always was).
    private static func validateIssuerFee(_ settings: CNHStablecoinSettings) throws {
        if let fixed = settings.issuerFee.fixed, fixed.money.currency != .cnh {
            throw ValidationError(field: "issuerFee.fixed.currency", value: fixed.money.asset.code, rule: "issuer_fee.currency",
                                  message: "the issuer's fee is taken in CNH")
        }
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        try quoteFromConfiguration(request)
    }

    /// The quote, from configuration and the request alone. Synchronous: an async function keeps
    /// its locals in a task-allocated frame, and a quote's many large values were copied into it.
    func quoteFromConfiguration(_ request: QuoteRequest) throws -> QuoteOutcome {
        let intent = request.intent
        if case .declined(let decline) = descriptor.capabilities.admit(intent) {
            return .declined(decline)
        }
        // Defence in depth: the policy file excludes mainland residents too.
        if let decline = jurisdictionDecline(intent) { return .declined(decline) }
        let market = request.market
        let mid = try market.midRate(from: intent.sourceCurrency, to: .cnh)
        let size = try intent.sourceEquivalent(mid: mid)
        guard let tier = SpreadTier.tier(for: size, in: settings.onRamp.fxSpreadTiers) else {
            throw RailError.misconfigured("no on-ramp FX spread tier for \(size)")
        }
        let applied = try rate(belowMid: mid, basisPoints: tier.basisPoints)

        let toWallet = intent.creditor.accounts.wallet(on: token.chain)
        if toWallet == nil, case .declined(let decline) = offRampAccount(intent) { return .declined(decline) }
        var afterConversion = [try settings.issuerFee.charge(
            // Deducted from the minted CNH: the creditor bears it, as it bears the off-ramp's fee.
            kind: .issuerFee, description: texts.mintFee, bearer: .creditor, in: .cnh, market: market)]
        if toWallet == nil {
            afterConversion.append(try settings.offRamp.fee.charge(
                kind: .offRampFee, description: texts.offRampFee, bearer: .creditor, in: .cnh, market: market))
        }
        let (networkFee, gasAssumptions) = try texts.gas.networkFee(market: market, currency: intent.sourceCurrency)
        let pricing = PaymentPricing(
            source: intent.sourceCurrency, destination: .cnh, applied: applied, mid: mid, midSource: market.source,
            billed: [networkFee], deductedAfterConversion: afterConversion)
        let breakdown: PriceBreakdown
        do {
            breakdown = try pricing.price(intent.amount.money, fixed: intent.amount.fixed)
        } catch .consumedByFees(let detail) {
            return .declined(RailDecline(.amountTooSmallAfterFees, "Fees would consume the payment: \(detail)."))
        } catch .money(let error) {
            throw RailError.money(error)
        }

        // Tokens moved = what the creditor receives plus what the off-ramp deducts from them,
        // rebased from 2-decimal CNH to the token's decimals: exact, no unit lost or invented.
        var tokensMoved = breakdown.creditorReceives
        // By index: `first(where:)` copied each cost it looked at.
        if toWallet == nil, let index = breakdown.costs.firstIndex(where: { $0.kind == .offRampFee }), let offRampCost = breakdown.costs[index].charged {
            tokensMoved = try tokensMoved.adding(offRampCost)
        }
        let onChain = try tokensMoved.rebased(to: tokenAsset)
        var assumptions = [Assumption]()
        assumptions.reserveCapacity(10)
        assumptions.append(Assumption("on_ramp_fx_spread_bps", .decimal(tier.basisPoints), source: tier.source))
        assumptions.append(Assumption("issuer_fee_bps", settings.issuerFee.basisPoints.map { .decimal($0) } ?? .text("0"), source: settings.issuerFee.source))
        assumptions.append(Assumption("token_amount", .tokenAmount(onChain, recipient: nil),
                                      source: texts.tokenDecimalsSource))
        assumptions.append(Assumption("delivery", toWallet.map { "tokens to creditor wallet \($0.address)" } ?? texts.offRampDelivery,
                                      source: "payment intent"))
        if toWallet == nil && !intent.creditor.accounts.hasBankAccount {
            assumptions.append(Assumption("creditor_bank_account", "not supplied; needed before execution", source: "payment intent"))
        }
        assumptions += gasAssumptions
        if let quotesOnly = texts.quotesOnly {
            assumptions.append(Assumption("execution", quotesOnly, source: "execution settings"))
        }
        let profile = toWallet == nil ? offRampLatency : walletLatency
        return .quoted(Quote(
            id: request.quoteID, railID: descriptor.id, firmness: .indicative, createdAt: request.now,
            expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
            breakdown: breakdown, eta: try profile.estimate(from: request.now), assumptions: assumptions))
    }

    /// Mainland-China residents and mainland bank accounts are never paid, by any configuration.
    func jurisdictionDecline(_ intent: PaymentIntent) -> RailDecline? {
        // Every field that can say "mainland": residence, postal address, the bank's BIC, the IBAN.
        // Checked one by one, in this order, rather than from a list built for every quote.
        let creditor = intent.creditor
        let field: String
        if creditor.country == .china {
            field = "creditor.country"
        } else if creditor.address?.country == .china {
            field = "creditor.address.country"
        } else if creditor.accounts.bic?.country == .china {
            field = "creditor.accounts.bic"
        } else if creditor.accounts.iban?.country == .china {
            field = "creditor.accounts.iban"
        } else {
            return nil
        }
        return RailDecline(.jurisdictionProhibitsStablecoin,
            "\(token.symbol) is never delivered to a mainland-China resident or a mainland bank account (\(field) is CN).")
    }

    /// The creditor's bank account for the off-ramp, when the partner can pay it: a bank (BIC) and
    /// account in one of the partner's payout countries (Hong Kong). A rail must not promise a
    /// payout it cannot make.
    func offRampAccount(_ intent: PaymentIntent) -> OffRampAccount {
        let creditor = intent.creditor
        guard let bic = creditor.accounts.bic, let account = creditor.accounts.accountNumber ?? creditor.accounts.iban?.electronic else {
            return .declined(RailDecline(.creditorAccountMissing,
                "The creditor has no wallet on \(token.chain) and no bank account (BIC and account number) for the off-ramp."))
        }
        if let decline = creditor.accounts.payoutCountryDecline(countries: settings.offRamp.payoutCountries ?? [.hongKong],
                                                                 payer: settings.offRamp.partner) {
            return .declined(decline)
        }
        return .account(OffRampWire.BankAccount(name: creditor.name, accountNumber: account, bic: bic.bic11, country: creditor.country.code))
    }

    enum OffRampAccount {
        case account(OffRampWire.BankAccount)
        case declined(RailDecline)
    }

    /// Where the tokens go: the creditor's own wallet on the token's chain, else (off-ramp) the
    /// creditor's Hong Kong bank account through the partner.
    enum Delivery: Sendable {
        case wallet(EVMAddress)
        case offRamp(OffRampWire.BankAccount)

        var kind: CNHPaymentPlan.Delivery {
            switch self {
            case .wallet: .wallet
            case .offRamp: .offRamp
            }
        }
    }

    enum DeliveryOutcome {
        case success(Delivery)
        case failure(RailDecline)
    }

    func delivery(for intent: PaymentIntent, offRampAvailable: Bool) -> DeliveryOutcome {
        let creditor = intent.creditor
        if let wallet = creditor.accounts.wallet(on: token.chain) {
            guard let address = try? wallet.evmAddress(field: "creditor.accounts.wallets") else {
                return .failure(RailDecline(.creditorAccountMissing, "The creditor's wallet \(wallet.address) is not a valid EVM address (EIP-55)."))
            }
            return .success(.wallet(address))
        }
        let account: OffRampWire.BankAccount
        switch offRampAccount(intent) {
        case .declined(let decline): return .failure(decline)
        case .account(let found): account = found
        }
        guard offRampAvailable else {
            return .failure(RailDecline(.railUnavailable, "No off-ramp partner is configured; only deliveries to a wallet on \(token.chain) execute."))
        }
        return .success(.offRamp(account))
    }
}
