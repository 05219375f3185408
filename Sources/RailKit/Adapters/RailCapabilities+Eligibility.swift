extension RailCapabilities {
    /// Why this rail cannot carry `intent` by its declared capabilities alone (corridor,
    /// fixed-receive support, amount limits), or nil. The router checks this before quoting and
    /// adapters check it again, so a quote never contradicts the capabilities it advertises.
    public func capabilityDecline(for intent: PaymentIntent, market: MarketSnapshot) -> RailDecline? {
        guard let corridor = corridor(source: intent.sourceCurrency, destination: intent.destinationCurrency,
                                      creditorCountry: intent.creditor.country) else {
            return RailDecline(.corridorNotSupported,
                "The rail does not carry \(intent.sourceCurrency)→\(intent.destinationCurrency) to a creditor in \(intent.creditor.country).")
        }
        if intent.amount.fixed == .receive && !supportsFixedReceive {
            return RailDecline(.fixedReceiveNotSupported, "The rail cannot guarantee a fixed received amount.")
        }
        guard let mid = try? market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency),
              let amount = try? intent.sourceEquivalent(mid: mid) else {
            return RailDecline(.railUnavailable,
                "No mid rate for \(intent.sourceCurrency)/\(intent.destinationCurrency) to check the rail's limits.")
        }
        if let minimum = corridor.minimum, minimum.asset == amount.asset, amount < minimum {
            return RailDecline(.amountBelowMinimum, "\(amount) is below the rail's minimum of \(minimum).")
        }
        if let maximum = corridor.maximum, maximum.asset == amount.asset, amount > maximum {
            return RailDecline(.amountAboveMaximum, "\(amount) is above the rail's maximum of \(maximum).")
        }
        return nil
    }
}
