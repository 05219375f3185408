import Foundation
import RailKit

/// A bank deposit token (JPMD-style): an allowlisted ERC-20 on an L2, 24/7, gas-only on chain.
///
/// Quotes from configuration: gas from a configured gas price and transfer gas, priced at the
/// market's coin price; ETA from the configured finality policy; for a payout corridor, the
/// payout bank's FX spread, fee and latency. Both wallets must be on the token's allowlist.
/// Execution arrives with the EVM client; until then ``RailCapabilities/canExecute`` is false.
public struct DepositTokenRail: RailAdapter {
    public let descriptor: RailDescriptor
    let settings: DepositTokenSettings
    let token: Token
    let finality: LatencyProfile
    /// Payout latency by corridor index (bank-payout corridors only).
    let payoutLatencies: [Int: LatencyProfile]
    let allowlist: Set<EVMAddress>

    init(id: RailID, settings: DepositTokenSettings, context: RailConfigurationContext) throws {
        self.settings = settings
        token = try settings.token.token(field: "token")
        guard let profile = settings.finality.profiles[settings.finality.policy] else {
            throw ValidationError(field: "finality.policy", value: settings.finality.policy, rule: "finality.unknown_policy",
                                  message: "not among finality.profiles (\(settings.finality.profiles.keys.sorted().joined(separator: ", ")))")
        }
        finality = try profile.resolve(context, field: "finality.profiles.\(settings.finality.policy)")
        allowlist = Set(settings.allowlist.wallets)
        var payoutLatencies = [Int: LatencyProfile]()
        for (index, corridor) in settings.corridors.enumerated() {
            let field = "corridors[\(index)]"
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
            case .bankPayout:
                guard let payout = corridor.payout else {
                    throw ValidationError(field: field + ".payout", value: "", rule: "corridor.payout_required",
                                          message: "a bank-payout corridor needs payout settings")
                }
                guard allowlist.contains(payout.wallet) else {
                    throw ValidationError(field: field + ".payout.wallet", value: payout.wallet.checksummed, rule: "corridor.payout_wallet",
                                          message: "the payout bank's wallet must be on the allowlist")
                }
                payoutLatencies[index] = try payout.latency.resolve(context, field: field + ".payout.latency")
            }
        }
        self.payoutLatencies = payoutLatencies
        descriptor = RailDescriptor(
            id: id, displayName: settings.displayName,
            capabilities: RailCapabilities(
                kind: .depositToken,
                corridors: settings.corridors.map {
                    Corridor(source: $0.source, destination: $0.destination, creditorCountries: $0.creditorCountries,
                             minimum: $0.minimum?.money, maximum: $0.maximum?.money)
                },
                assets: [.token(token), .token(settings.token.nativeToken)],
                operatingHours: .continuous, supportsFixedReceive: true, canExecute: false,
                quoteValiditySeconds: settings.quoteValiditySeconds))
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        let intent = request.intent
        let corridorIndex: Int
        // Capabilities list the corridors in settings order, so the index is the settings' too.
        switch descriptor.capabilities.admit(intent, market: request.market) {
        case .declined(let decline): return .declined(decline)
        case .admitted(let index): corridorIndex = index
        }
        let corridor = settings.corridors[corridorIndex]
        var assumptions = [Assumption]()

        // Both ends of the token transfer must be allowlisted holders.
        guard let debtorWallet = intent.debtor.accounts.wallet(on: token.chain) else {
            return .declined(RailDecline(.debtorAccountMissing,
                "The debtor has no wallet on \(token.chain); \(token.symbol) moves only between allowlisted wallets."))
        }
        guard allowlist.contains(debtorWallet.address) else {
            return .declined(RailDecline(.counterpartyNotAllowlisted,
                "The debtor's wallet \(debtorWallet.address) is not on the \(token.symbol) allowlist."))
        }
        let recipient: EVMAddress
        var profile = finality
        var afterConversion = [Charge]()
        var applied = ExchangeRate.identity(intent.sourceCurrency)
        let mid = try request.market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency)
        // Gas comes from configuration until the chain is read, so no quote here is firm.
        let firmness = QuoteFirmness.indicative
        switch corridor.delivery {
        case .token:
            guard let creditorWallet = intent.creditor.accounts.wallet(on: token.chain) else {
                return .declined(RailDecline(.creditorAccountMissing,
                    "The creditor has no wallet on \(token.chain); \(token.symbol) is delivered only to allowlisted wallets."))
            }
            guard allowlist.contains(creditorWallet.address) else {
                return .declined(RailDecline(.counterpartyNotAllowlisted,
                    "The creditor's wallet \(creditorWallet.address) is not on the \(token.symbol) allowlist."))
            }
            recipient = creditorWallet.address
        case .bankPayout:
            let payout = corridor.payout!
            recipient = payout.wallet
            profile = payoutLatencies[corridorIndex]!
            let sizeInSource = try intent.sourceEquivalent(mid: mid)
            guard let tier = SpreadTier.basisPoints(for: sizeInSource, in: payout.fxSpreadTiers) else {
                throw RailError.misconfigured("no FX spread tier for \(sizeInSource)")
            }
            applied = try rate(belowMid: mid, basisPoints: tier.basisPoints)
            afterConversion.append(try payout.fee.charge(
                kind: .payoutFee, description: "\(payout.partner) payout fee", bearer: .creditor,
                in: intent.destinationCurrency, market: request.market))
            assumptions.append(Assumption("payout_fx_spread_bps", tier.basisPoints.description, source: tier.source))
            assumptions.append(Assumption("payout_fee", payout.fee.fixed?.money.description ?? "0", source: payout.fee.source))
            if !intent.creditor.accounts.hasBankAccount {
                assumptions.append(Assumption("creditor_bank_account", "not supplied; needed before execution",
                                              source: "payment intent"))
            }
        }

        let (networkFee, gasAssumptions) = try settings.gas.networkFee(
            coin: settings.token.nativeToken, market: request.market, currency: intent.sourceCurrency)
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
        // The principal moves on chain as tokens: 1 USD = 1 JPMD, in the token's base units, exactly.
        let onChain = try breakdown.principal.rebased(to: .token(token))
        assumptions += gasAssumptions
        assumptions += [
            Assumption("token_amount", "\(onChain.decimalValue) \(token.symbol) (\(onChain.minorUnits) base units) to \(recipient)",
                       source: "token.decimals: \(settings.token.decimals.source)"),
            Assumption("finality_policy", settings.finality.policy, source: settings.finality.profiles[settings.finality.policy]!.source),
            Assumption("allowlist", "debtor and recipient wallets allowlisted", source: settings.allowlist.source),
        ]
        return .quoted(Quote(
            id: request.quoteID, railID: descriptor.id, firmness: firmness, createdAt: request.now,
            expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
            breakdown: breakdown, eta: try profile.estimate(from: request.now), assumptions: assumptions))
    }

    public func execute(_ request: ExecutionRequest) async throws -> ExecutionReceipt {
        throw RailError.unsupported(operation: "execute", rail: descriptor.id)
    }

    public func status(of reference: RailReference) async throws -> RailPaymentStatus {
        throw RailError.unsupported(operation: "status", rail: descriptor.id)
    }
}
