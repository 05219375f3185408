import RailKit

extension Quote {
    /// What a converting rail settles in the destination currency when the amount received is
    /// fixed: the quote's creditor amount plus what is deducted from it after conversion (a
    /// beneficiary bank's fee). Converting the principal back instead would credit more than
    /// quoted: a fixed-receive principal is rounded up in the source currency.
    public func destinationSettlementForFixedReceive() throws(MoneyError) -> Money {
        var settlement = creditorReceives
        for cost in costs where cost.collection == .deducted {
            let charged = cost.charged ?? cost.amount
            if charged.asset == creditorReceives.asset { settlement = try settlement.adding(charged) }
        }
        return settlement
    }
}
