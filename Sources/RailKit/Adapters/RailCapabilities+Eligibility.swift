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
    public func admit(_ intent: PaymentIntent, market: MarketSnapshot) -> Admission {
        guard let index = corridorIndex(serving: intent) else {
            return .declined(RailDecline(.corridorNotSupported,
                "The rail does not carry \(intent.sourceCurrency)→\(intent.destinationCurrency) to a creditor in \(intent.creditor.country)."))
        }
        let corridor = corridors[index]
        if intent.amount.fixed == .receive && !supportsFixedReceive {
            return .declined(RailDecline(.fixedReceiveNotSupported, "The rail cannot guarantee a fixed received amount."))
        }
        guard let mid = try? market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency),
              let amount = try? intent.sourceEquivalent(mid: mid) else {
            return .declined(RailDecline(.railUnavailable,
                "No mid rate for \(intent.sourceCurrency)/\(intent.destinationCurrency) to check the rail's limits."))
        }
        if let minimum = corridor.minimum, minimum.asset == amount.asset, amount < minimum {
            return .declined(RailDecline(.amountBelowMinimum, "\(amount) is below the rail's minimum of \(minimum)."))
        }
        if let maximum = corridor.maximum, maximum.asset == amount.asset, amount > maximum {
            return .declined(RailDecline(.amountAboveMaximum, "\(amount) is above the rail's maximum of \(maximum)."))
        }
        return .admitted(corridorIndex: index)
    }
}
