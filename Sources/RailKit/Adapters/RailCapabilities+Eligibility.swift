/// Whether a rail's capabilities admit a payment.
public enum Admission: Sendable, Hashable {
    /// Admitted through the corridor at this index of ``RailCapabilities/corridors``.
    case admitted(corridorIndex: Int)
    /// Not admitted, and why (a decline is data, not an error).
    case declined(RailDecline)
}

extension RailCapabilities {
    /// The index in ``corridors`` of the corridor that carries `intent`'s currencies to its
    /// creditor's country, limits aside (execution, where the quote already passed them).
    public func corridorIndex(serving intent: PaymentIntent) -> Int? {
        corridors.firstIndex {
            $0.serves(source: intent.sourceCurrency, destination: intent.destinationCurrency, creditorCountry: intent.creditor.country)
        }
    }

    /// Whether this rail can carry `intent` by its declared capabilities alone (corridor,
    /// fixed-receive support, amount limits): the index in ``corridors`` of the corridor that
    /// serves it, or why not. The router checks this before quoting and adapters check it again,
    /// so a quote never contradicts the capabilities it advertises.
    ///
    /// A corridor's limits are on the principal the debtor sends. For a fixed-send payment that is
    /// the amount itself. A fixed-receive payment's principal is known only once a rail has priced
    /// it at its own rate, so its limits are judged on the quote
    /// (``admit(_:quote:)``), never on the receive amount converted at mid: a CNH invoice whose
    /// mid equivalent is just under a maximum may need more than the maximum at the rail's rate.
    public func admit(_ intent: PaymentIntent) -> Admission {
        // A rail that carries nothing at all (a remote rail that did not answer at start) says why.
        if corridors.isEmpty, let quoteOnlyReason {
            return .declined(RailDecline(.railUnavailable, "The rail carries no corridor: \(quoteOnlyReason)."))
        }
        guard let index = corridorIndex(serving: intent) else {
            return .declined(RailDecline(.corridorNotSupported,
                "The rail does not carry \(intent.sourceCurrency)→\(intent.destinationCurrency) to a creditor in \(intent.creditor.country)."))
        }
        if intent.amount.fixed == .receive {
            guard supportsFixedReceive else {
                return .declined(RailDecline(.fixedReceiveNotSupported, "The rail cannot guarantee a fixed received amount."))
            }
            return .admitted(corridorIndex: index)
        }
        if let decline = corridors[index].limitDecline(principal: intent.amount.money, intent: intent, basis: .sent) {
            return .declined(decline)
        }
        return .admitted(corridorIndex: index)
    }

    /// ``admit(_:)`` knowing `quote`: the corridor's limits judged on the principal the
    /// debtor really sends on this rail (for a fixed-receive payment, the quoted principal).
    public func admit(_ intent: PaymentIntent, quote: Quote) -> Admission {
        guard let index = corridorIndex(serving: intent) else {
            return .declined(RailDecline(.corridorNotSupported,
                "The rail does not carry \(intent.sourceCurrency)→\(intent.destinationCurrency) to a creditor in \(intent.creditor.country)."))
        }
        if intent.amount.fixed == .receive && !supportsFixedReceive {
            return .declined(RailDecline(.fixedReceiveNotSupported, "The rail cannot guarantee a fixed received amount."))
        }
        if let decline = corridors[index].limitDecline(principal: quote.principal, intent: intent, basis: .quoted) {
            return .declined(decline)
        }
        return .admitted(corridorIndex: index)
    }
}

/// What a principal compared with a corridor's limits is (the words of the decline differ).
public enum PrincipalBasis: Sendable {
    /// The amount a fixed-send payment sends.
    case sent
    /// The principal a rail quoted for a fixed-receive payment.
    case quoted
    /// A fixed-receive amount converted at the mid rate, before any rail priced it.
    case midEstimate
}

extension Corridor {
    /// Why `principal` (what the debtor sends, in the source currency) is outside this corridor's
    /// limits, or nil. Both limits are inclusive: the minimum and the maximum themselves are carried.
    public func limitDecline(principal: Money, intent: PaymentIntent, basis: PrincipalBasis) -> RailDecline? {
        /// For a fixed-receive payment, what the compared amount stands for: the limit is on the principal, not the invoice.
        func sending() -> String {
            switch basis {
            case .sent: "\(principal) is"
            case .quoted: "\(principal) (the principal this rail needs to deliver \(intent.amount.money)) is"
            case .midEstimate: "\(intent.amount.money) is \(principal) at the mid rate,"
            }
        }
        if let minimum, minimum.asset == principal.asset, principal < minimum {
            return RailDecline(.amountBelowMinimum, "\(sending()) below the rail's minimum of \(minimum).")
        }
        if let maximum, maximum.asset == principal.asset, principal > maximum {
            return RailDecline(.amountAboveMaximum, "\(sending()) above the rail's maximum of \(maximum).")
        }
        return nil
    }

    /// What is wrong with this corridor's limits, by field (`minimum`, `maximum`): each is in the
    /// source currency (a limit in another currency could never be compared, and would silently
    /// admit everything), not negative, and the minimum is not above the maximum.
    public var limitProblems: [(field: String, message: String)] {
        var problems = [(field: String, message: String)]()
        for (field, limit) in [("minimum", minimum), ("maximum", maximum)] {
            guard let limit else { continue }
            if limit.asset != .fiat(source) {
                problems.append((field, "is in \(limit.asset.code); a corridor's limits are in its source currency \(source)"))
            } else if limit.minorUnits < 0 {
                problems.append((field, "is negative (\(limit))"))
            }
        }
        if let minimum, let maximum, minimum.asset == maximum.asset, minimum > maximum {
            problems.append(("minimum", "\(minimum) is above the maximum \(maximum)"))
        }
        return problems
    }
}
