import EVMKit
import OffRampAPI
import Foundation
import RailKit
import RailKitSupport

/// The simulated off-ramp partner's books: payout orders, their funding checked on a real chain
/// (the dev chain over JSON-RPC), and bank payouts that complete on the partner's clock.
public actor SimulatedOffRamp {
    public let settings: OffRampPartnerSettings
    let client: EthereumClient
    let chainID: UInt64
    let token: EVMAddress
    let depositWallet: EVMAddress
    let payoutDelay: Latency
    let clock: @Sendable () -> Date
    private var orders = [String: Order]()
    private var idsByReference = [String: String]()
    private var fundingTransactions = [String: String]()
    private var tokenDecimals: Int?

    struct Order {
        var request: OffRampWire.CreatePayout
        var payout: OffRampWire.Payout
        var fundingBaseUnits: UInt128
        /// The only wallet whose transfer funds the order.
        var fundingWallet: EVMAddress
        var payAt: Date?
    }

    /// - Parameters:
    ///   - depositWallet: replaces the configured deposit wallet (tests use a fresh account).
    public init(settings: OffRampPartnerSettings, client: EthereumClient, chainID: UInt64, token: EVMAddress,
                depositWallet: EVMAddress? = nil, calendars: [String: BusinessCalendar], clock: @escaping @Sendable () -> Date) throws {
        self.settings = settings
        self.client = client
        self.chainID = chainID
        self.token = token
        self.depositWallet = depositWallet ?? settings.depositWallet
        self.payoutDelay = try settings.payout.resolve(RailConfigurationContext(calendars: calendars), field: "payout")
        self.clock = clock
    }

    /// Creates an order, or returns the existing one for a repeated reference with the same terms.
    public func create(_ request: OffRampWire.CreatePayout) async throws(OffRampWire.Problem) -> OffRampWire.Payout {
        if let id = idsByReference[request.reference], let existing = orders[id] {
            guard existing.request == request else {
                throw OffRampWire.Problem(code: "REFERENCE_REUSED", error: "reference \(request.reference) was used for a different payout")
            }
            return existing.payout
        }
        let asset = Asset.fiat(settings.currency)
        guard request.currency == settings.currency.code else {
            throw OffRampWire.Problem(code: "CURRENCY_NOT_SUPPORTED", error: "currency: this partner pays out \(settings.currency) only")
        }
        guard request.chainId == chainID, (try? EVMAddress(request.token)) == token else {
            throw OffRampWire.Problem(code: "TOKEN_NOT_SUPPORTED", error: "token: this partner takes \(token) on chain \(chainID) only")
        }
        guard let fundingWallet = request.fundingWallet.flatMap({ try? EVMAddress($0) }) else {
            throw OffRampWire.Problem(code: "FUNDING_WALLET_REQUIRED",
                error: "fundingWallet: the sender's wallet the tokens come from is required; only a transfer from it funds the order")
        }
        let beneficiary = request.beneficiary
        guard let country = try? CountryCode(beneficiary.country), let bic = try? BIC(beneficiary.bic, field: "beneficiary.bic") else {
            throw OffRampWire.Problem(code: "BENEFICIARY_INVALID", error: "beneficiary.country and beneficiary.bic must be an ISO country code and a BIC")
        }
        if settings.prohibitedCountries.contains(country) || settings.prohibitedCountries.contains(bic.country) {
            throw OffRampWire.Problem(code: "JURISDICTION_PROHIBITS_STABLECOIN",
                error: "beneficiary: the partner never pays a resident of, or an account in, \(country == bic.country ? country.code : "\(country.code)/\(bic.country.code)") (\(settings.prohibitedSource))")
        }
        guard !beneficiary.name.isEmpty, !beneficiary.accountNumber.isEmpty else {
            throw OffRampWire.Problem(code: "BENEFICIARY_INVALID", error: "beneficiary.name and beneficiary.accountNumber are required")
        }
        let fee = settings.fee.money
        let payout: Money, funding: Money
        do {
            switch (request.payoutAmount, request.fundingAmount) {
            case (let amount?, nil):
                payout = try Money(parsing: amount, asset: asset, field: "payoutAmount")
                funding = try payout.adding(fee)
            case (nil, let amount?):
                funding = try Money(parsing: amount, asset: asset, field: "fundingAmount")
                payout = try funding.subtracting(fee)
            default:
                throw OffRampWire.Problem(code: "AMOUNT_INVALID", error: "exactly one of payoutAmount and fundingAmount")
            }
        } catch let problem as OffRampWire.Problem {
            throw problem
        } catch {
            throw OffRampWire.Problem(code: "AMOUNT_INVALID", error: "\(error)")
        }
        guard payout.minorUnits > 0 else {
            throw OffRampWire.Problem(code: "AMOUNT_TOO_SMALL", error: "fundingAmount: the fee \(fee) leaves nothing to pay out")
        }
        guard payout <= settings.maximum.money else {
            throw OffRampWire.Problem(code: "AMOUNT_ABOVE_MAXIMUM", error: "payoutAmount: at most \(settings.maximum.money) per payout")
        }
        if payout >= settings.travelRuleThreshold.money {
            let missing = request.travelRule?.missingFields ?? ["travelRule"]
            if !missing.isEmpty {
                throw OffRampWire.Problem(code: "TRAVEL_RULE_DATA_MISSING",
                    error: "payouts of \(settings.travelRuleThreshold.money) or more need \(missing.joined(separator: ", ")) (\(settings.travelRuleSource))")
            }
        }
        let decimals: Int
        do { decimals = try await self.decimals() } catch {
            throw OffRampWire.Problem(code: "CHAIN_UNAVAILABLE", error: "the partner cannot read the token: \(error)")
        }
        let baseUnits: UInt128
        do {
            let onChain = Token(symbol: "funding", chain: ChainID(evm: chainID), contract: token.chainAddress, decimals: decimals, denomination: settings.currency)
            baseUnits = UInt128(try funding.rebased(to: .token(onChain)).minorUnits)
        } catch {
            throw OffRampWire.Problem(code: "AMOUNT_INVALID", error: "\(error)")
        }
        // Unguessable: an order id is all a client needs to read or fund an order.
        let id = "po_" + Hex.random()
        let order = OffRampWire.Payout(
            id: id, reference: request.reference, status: .awaitingFunds, currency: settings.currency.code,
            depositAddress: depositWallet.checksummed, chainId: chainID, token: token.checksummed,
            fundingAmount: funding.decimalValue.description, fee: fee.decimalValue.description, payoutAmount: payout.decimalValue.description)
        orders[id] = Order(request: request, payout: order, fundingBaseUnits: baseUnits, fundingWallet: fundingWallet)
        idsByReference[request.reference] = id
        return order
    }

    /// Records the funding transaction and checks it on chain.
    public func reportFunding(payoutID: String, transactionHash: String) async throws(OffRampWire.Problem) -> OffRampWire.Payout {
        guard let fundingWallet = orders[payoutID]?.fundingWallet else { throw OffRampWire.Problem(code: "NOT_FOUND", error: "no payout \(payoutID)") }
        let hash = transactionHash.lowercased()
        // A transaction the node knows and another wallet sent is never this order's (an orphaned
        // transfer cannot be claimed by whoever reports it first). Asked before the order is read:
        // the actor may take other calls while the node answers.
        if let sent = try? await client.transaction(hash: hash), sent.from != fundingWallet {
            throw OffRampWire.Problem(code: "FUNDING_NOT_YOURS",
                error: "transaction \(hash) was sent by \(sent.from.checksummed), not this order's funding wallet \(fundingWallet.checksummed)")
        }
        guard var order = orders[payoutID] else { throw OffRampWire.Problem(code: "NOT_FOUND", error: "no payout \(payoutID)") }
        if let current = order.payout.fundingTransaction {
            guard current == hash else {
                throw OffRampWire.Problem(code: "ALREADY_FUNDED", error: "payout \(payoutID) is funded by \(current)")
            }
            return try await payout(id: payoutID)
        }
        if let other = fundingTransactions[hash], other != payoutID {
            throw OffRampWire.Problem(code: "FUNDING_REUSED", error: "transaction \(hash) already funds \(other)")
        }

        fundingTransactions[hash] = payoutID
        order.payout.fundingTransaction = hash
        order.payout.status = .confirmingFunds
        if order.payout.reasonCode == "FUNDING_NOT_YOURS" {
            order.payout.reasonCode = nil
            order.payout.reason = nil
        }
        orders[payoutID] = order
        return try await payout(id: payoutID)
    }

    /// The order, after checking its funding on chain and its payout against the clock.
    public func payout(id: String) async throws(OffRampWire.Problem) -> OffRampWire.Payout {
        guard var order = orders[id] else { throw OffRampWire.Problem(code: "NOT_FOUND", error: "no payout \(id)") }
        let now = clock()
        if order.payout.status == .confirmingFunds, let hash = order.payout.fundingTransaction {
            do {
                try await checkFunding(&order, hash: hash, now: now)
            } catch {
                // The chain could not be read: try again on the next call.
            }
            // The actor took other calls while the chain answered: if the order moved meanwhile,
            // this check's copy is stale and is dropped (the next call checks again).
            guard let current = orders[id], current.payout.status == .confirmingFunds, current.payout.fundingTransaction == hash else {
                return orders[id]?.payout ?? order.payout
            }
            if order.payout.fundingTransaction == nil, fundingTransactions[hash] == id {
                fundingTransactions[hash] = nil  // released only by the order that held it
            }
        }
        if order.payout.status == .processing, let payAt = order.payAt, now >= payAt {
            order.payout.status = .paid
            order.payout.paidAt = Timestamp.format(payAt)
            order.payout.bankReference = "HKPAY" + order.payout.id.dropFirst(3).prefix(12).uppercased()
        }
        orders[id] = order
        return order.payout
    }

    /// Every payout order, in order of id (as last seen: no funding check or payout runs here).
    public func allPayouts() -> [OffRampWire.Payout] { orders.values.map(\.payout).sorted { $0.id < $1.id } }

    /// The travel-rule data the sender supplied with an order (the partner keeps it as the beneficiary's VASP).
    public func travelRule(ofPayout id: String) -> TravelRuleData? { orders[id]?.request.travelRule }

    private func checkFunding(_ order: inout Order, hash: String, now: Date) async throws {
        guard let receipt = try await client.transactionReceipt(hash: hash) else { return }
        // Only the order's own funding wallet funds it: a claim on a transfer someone else sent (an
        // orphan, another sender's) is released, and the order waits for its own funding.
        guard receipt.from == order.fundingWallet else {
            // The claim is released by the caller, once it knows the order did not move meanwhile.
            order.payout.fundingTransaction = nil
            order.payout.status = .awaitingFunds
            order.payout.reasonCode = "FUNDING_NOT_YOURS"
            order.payout.reason = "transaction \(hash) was sent by \(receipt.from.checksummed), not this order's funding wallet \(order.fundingWallet.checksummed)"
            return
        }
        let expected = ERC20.TransferEvent(token: token, from: order.fundingWallet, to: depositWallet, amount: order.fundingBaseUnits)
        let transfers = try receipt.logs.compactMap { try ERC20.transferEvent(in: $0) }.filter { $0.token == token && $0.to == depositWallet }
        guard receipt.succeeded, transfers == [expected] else {
            let received = transfers.map(\.amount).reduce(0, +)
            order.payout.status = .rejected
            order.payout.reasonCode = "FUNDING_MISMATCH"
            order.payout.reason = "transaction \(hash) \(receipt.succeeded ? "moved \(received) base units to the deposit wallet, not \(order.fundingBaseUnits)" : "reverted")"
            order.payout.fundsHeldBy = received > 0 ? "\(settings.partner) deposit wallet \(depositWallet.checksummed) (\(received) base units), refundable on request" : nil
            return
        }
        let latest = try await client.blockNumber()
        guard latest + 1 >= receipt.blockNumber + UInt64(settings.confirmations) else { return }
        order.payout.status = .processing
        order.payout.fundedAt = Timestamp.format(now)
        order.payAt = try payoutDelay.end(from: now)
    }

    private func decimals() async throws -> Int {
        if let tokenDecimals { return tokenDecimals }
        let answer = try ABIDecoder(try await client.call(CallRequest(to: token, data: ERC20.decimals.encodeCall()))).uint(0)
        guard answer <= UInt128(ExactDecimal.maxScale) else { throw RailError.invalidResponse("token reports \(answer) decimals") }
        tokenDecimals = Int(answer)
        return Int(answer)
    }
}
