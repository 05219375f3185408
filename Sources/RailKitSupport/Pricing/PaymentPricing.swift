import RailKit
/// A fee: a fixed amount, a rate on the amount it applies to, or both, optionally clamped.
public struct Charge: Sendable, Hashable {
    public var kind: CostKind
    public var description: String
    public var bearer: CostBearer
    /// Fixed part, in the currency of the stage the charge applies at.
    public var fixed: Money?
    /// Proportional part, in basis points of the amount at that stage (rounded half-even).
    public var basisPoints: ExactDecimal?
    public var minimum: Money?
    public var maximum: Money?
    /// The amount in the asset actually charged (gas in ETH), shown beside the converted amount.
    public var charged: Money?

    @inlinable
    public init(kind: CostKind, description: String, bearer: CostBearer, fixed: Money? = nil,
                basisPoints: ExactDecimal? = nil, minimum: Money? = nil, maximum: Money? = nil, charged: Money? = nil) {
        self.kind = kind
        self.description = description
        self.bearer = bearer
        self.fixed = fixed
        self.basisPoints = basisPoints
        self.minimum = minimum
        self.maximum = maximum
        self.charged = charged
    }

    /// The charge on `base` (same asset as `fixed`, `minimum`, `maximum`).
    public func amount(on base: Money) throws(MoneyError) -> Money {
        var total = Money.zero(base.asset)
        if let fixed { total = try total.adding(fixed) }
        if let basisPoints {
            let rate: ExactDecimal
            do {
                rate = try basisPoints.divided(by: ExactDecimal(10_000), scale: 12, rounding: .halfEven)
            } catch {
                throw .overflow(error.operation)
            }
            total = try total.adding(base.multiplied(by: rate, rounding: .halfEven))
        }
        if let minimum, total < minimum { total = minimum }
        if let maximum, total > maximum { total = maximum }
        return total
    }
}

/// Why a payment cannot be priced.
public enum PricingFailure: Error, Sendable, Hashable {
    /// Deductions consume the whole amount.
    case consumedByFees(String)
    case money(MoneyError)
}

/// The money flow every rail shares: fees billed on top of the principal, deductions before the
/// FX conversion (source currency), the conversion, deductions after it (destination currency).
///
/// Rounding, documented once for every rail:
/// - fixed-send converts the amount left after deductions at the applied rate, half-even;
/// - fixed-receive buys exactly the destination amount needed and rounds the source side up
///   (the sender never under-funds; the creditor receives exactly the fixed amount);
/// - costs in another currency convert to the source currency at the mid rate, rounded up,
///   so a cost is never understated; the FX margin is what the conversion cost against mid.
public struct PaymentPricing: Sendable {
    public var source: Currency
    public var destination: Currency
    /// The rate the conversion happens at (identity when the currencies match).
    public var applied: ExchangeRate
    public var mid: ExchangeRate
    public var midSource: String
    /// Charged to the debtor on top of the principal (source currency).
    public var billed: [Charge]
    /// Deducted from the principal before conversion (source currency).
    public var deductedBeforeConversion: [Charge]
    /// Deducted after conversion (destination currency).
    public var deductedAfterConversion: [Charge]

    public init(source: Currency, destination: Currency, applied: ExchangeRate, mid: ExchangeRate, midSource: String,
                billed: [Charge] = [], deductedBeforeConversion: [Charge] = [], deductedAfterConversion: [Charge] = []) {
        self.source = source
        self.destination = destination
        self.applied = applied
        self.mid = mid
        self.midSource = midSource
        self.billed = billed
        self.deductedBeforeConversion = deductedBeforeConversion
        self.deductedAfterConversion = deductedAfterConversion
    }

    /// Prices a payment whose `amount` is fixed on `side`.
    public func price(_ amount: Money, fixed side: FixedSide) throws(PricingFailure) -> PriceBreakdown {
        do {
            switch side {
            case .send:
                let principal = amount
                let converting = try principal.subtracting(try Self.sum(deductedBeforeConversion, on: principal))
                guard converting.minorUnits > 0 else {
                    throw PricingFailure.consumedByFees("deductions before conversion consume the whole \(principal)")
                }
                let converted = try convert(converting, rounding: .halfEven)
                return try breakdown(principal: principal, converting: converting, converted: converted, fixedReceive: false)
            case .receive:
                let converted = try Self.grossUp(amount, for: deductedAfterConversion)
                let converting = try applied.base == applied.quote
                    ? Money(minorUnits: converted.minorUnits, asset: .fiat(source))
                    : applied.convert(converted, rounding: .ceiling)
                let principal = try Self.grossUp(converting, for: deductedBeforeConversion)
                return try breakdown(principal: principal, converting: converting, converted: converted, fixedReceive: true)
            }
        } catch let failure as PricingFailure {
            throw failure
        } catch let error as MoneyError {
            throw .money(error)
        } catch {
            throw .money(.overflow("\(error)"))
        }
    }

    /// - Parameter fixedReceive: the creditor receives the fixed amount whatever is deducted on the
    ///   way (the principal is grossed up to cover it), so every cost is borne by the debtor.
    private func breakdown(principal: Money, converting: Money, converted: Money, fixedReceive: Bool) throws -> PriceBreakdown {
        // Each deduction after conversion, kept for its cost item on the stack (no allocation per quote).
        try withUnsafeTemporaryAllocation(of: Money.self, capacity: deductedAfterConversion.count) { afterDeductions in
            var count = 0
            defer { afterDeductions.baseAddress?.deinitialize(count: count) }
            let deducted = try Self.total(deductedAfterConversion, on: converted, in: .fiat(destination)) {
                afterDeductions.initializeElement(at: count, to: $0)
                count += 1
            }
            return try breakdown(principal: principal, converting: converting, converted: converted, deducted: deducted,
                                 afterDeductions: UnsafeBufferPointer(afterDeductions), fixedReceive: fixedReceive)
        }
    }

    /// - Parameter afterDeductions: each deduction after conversion, in the destination currency.
    private func breakdown(principal: Money, converting: Money, converted: Money, deducted: Money, afterDeductions: UnsafeBufferPointer<Money>,
                           fixedReceive: Bool) throws -> PriceBreakdown {
        // Charges are read in place through buffer pointers throughout: a charge is a large value,
        // and an array's subscript (or iterating it) copied each one, its strings retained and its
        // amounts moved, for every quote.
        let receives = try converted.subtracting(deducted)
        guard receives.minorUnits > 0 else {
            throw PricingFailure.consumedByFees("deductions after conversion consume the whole \(converted)")
        }
        var costs = [CostItem]()
        costs.reserveCapacity(billed.count + deductedBeforeConversion.count + deductedAfterConversion.count + 1)
        try billed.withUnsafeBufferPointer { charges in
            for index in charges.indices {
                costs.append(item(charges[index], amount: try charges[index].amount(on: principal), collection: .billed))
            }
        }
        try deductedBeforeConversion.withUnsafeBufferPointer { charges in
            for index in charges.indices {
                costs.append(item(charges[index], amount: try charges[index].amount(on: principal), collection: .deducted,
                                  fixedReceive: fixedReceive))
            }
        }
        var fx: FXDetail?
        if source != destination {
            // What the conversion cost against mid: source spent minus the mid value of what it bought.
            let midValue = try mid.convert(converted, rounding: .floor)
            costs.append(CostItem(
                kind: .fxMargin, description: "FX margin against the mid rate",
                amount: try converting.subtracting(midValue), bearer: .debtor, collection: .inRate))
            fx = FXDetail(applied: applied, mid: mid, midSource: midSource)
        }
        try deductedAfterConversion.withUnsafeBufferPointer { charges in
            for index in charges.indices {
                let charged = afterDeductions[index]
                // The same currency: no conversion, and the charged amount is the cost itself.
                if source == destination {
                    costs.append(item(charges[index], amount: Money(minorUnits: charged.minorUnits, asset: .fiat(source)), collection: .deducted,
                                      fixedReceive: fixedReceive))
                } else {
                    costs.append(item(charges[index], amount: try mid.convert(charged, rounding: .ceiling), collection: .deducted,
                                      fixedReceive: fixedReceive, charged: charged))
                }
            }
        }
        // Both totals in one pass, read in place, without the intermediate arrays a filter and a map would make.
        var billedTotal = Money.zero(.fiat(source)), totalCost = Money.zero(.fiat(source))
        try costs.withUnsafeBufferPointer { items in
            for index in items.indices {
                if items[index].collection == .billed { billedTotal = try billedTotal.adding(items[index].amount) }
                totalCost = try totalCost.adding(items[index].amount)
            }
        }
        return PriceBreakdown(
            principal: principal, debtorPays: try principal.adding(billedTotal), creditorReceives: receives,
            fx: fx, costs: costs, totalCost: totalCost)
    }

    /// - Parameter charged: the amount in the currency it is charged in, when that is not the
    ///   source currency (the charge's own `charged` otherwise).
    private func item(_ charge: borrowing Charge, amount: Money, collection: CostCollection, fixedReceive: Bool = false,
                      charged: Money? = nil) -> CostItem {
        CostItem(kind: charge.kind, description: charge.description, amount: amount, charged: charged ?? charge.charged,
                 bearer: fixedReceive ? .debtor : charge.bearer, collection: collection)
    }

    private func convert(_ amount: Money, rounding rule: RoundingRule) throws -> Money {
        applied.base == applied.quote
            ? Money(minorUnits: amount.minorUnits, asset: .fiat(destination))
            : try applied.convert(amount, rounding: rule)
    }

    private static func sum(_ charges: [Charge], on base: Money) throws -> Money {
        try total(charges, on: base, in: base.asset) { _ in }
    }

    /// The charges on `base`, summed in `asset` in one pass (each amount also handed to `each`),
    /// failing as computing every amount and then summing them would: a charge's own error before
    /// any error of the sum, and the first of each.
    private static func total(_ charges: [Charge], on base: Money, in asset: Asset, each: (Money) -> Void) throws -> Money {
        var total = Money.zero(asset)
        var sumError: MoneyError?
        try charges.withUnsafeBufferPointer { charges in
            for index in charges.indices {
                let amount = try charges[index].amount(on: base)
                each(amount)
                guard sumError == nil else { continue }
                do throws(MoneyError) { total = try total.adding(amount) } catch { sumError = error }
            }
        }
        if let sumError { throw sumError }
        return total
    }

    /// The smallest gross amount that leaves exactly `net` (or, if rounding skips it, just
    /// above) after `charges` computed on the gross amount: what to buy so that, say, an issuer's
    /// percentage fee still leaves an invoiced amount.
    public static func grossUp(_ net: Money, for charges: [Charge]) throws -> Money {
        guard !charges.isEmpty else { return net }
        var gross = net
        for _ in 0..<64 {
            let fees = try sum(charges, on: gross)
            let candidate = try net.adding(fees)
            if candidate == gross { break }
            gross = candidate
        }
        // Step down while a smaller gross still leaves the net (fees grow in steps of one unit).
        while gross.minorUnits > net.minorUnits {
            let smaller = Money(minorUnits: gross.minorUnits - 1, asset: gross.asset)
            guard try smaller.subtracting(try sum(charges, on: smaller)) >= net else { break }
            gross = smaller
        }
        guard try gross.subtracting(try sum(charges, on: gross)) >= net else {
            throw PricingFailure.consumedByFees("fees on \(gross) leave less than \(net)")
        }
        return gross
    }
}
