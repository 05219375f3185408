/// A token on a chain: an ERC-20 (or the chain's native coin when `contract` is nil).
public struct Token: Sendable, Hashable, CustomStringConvertible {
    /// Ticker, e.g. `JPMD`, `AxCNH`, `ETH`.
    public let symbol: String
    /// The chain, as a CAIP-2 identifier such as `eip155:8453`.
    public let chain: ChainID
    /// The token contract, or nil for the chain's native coin.
    public let contract: EVMAddress?
    /// Digits in the token's base unit (read on chain; never assumed for a real token).
    public let decimals: Int
    /// The fiat currency one whole token is redeemable for, if any (USD for JPMD, CNH for AxCNH).
    public let denomination: Currency?

    public init(symbol: String, chain: ChainID, contract: EVMAddress?, decimals: Int, denomination: Currency?) {
        precondition((0...ExactDecimal.maxScale).contains(decimals), "token decimals out of range")
        self.symbol = symbol
        self.chain = chain
        self.contract = contract
        self.decimals = decimals
        self.denomination = denomination
    }

    /// `SYMBOL@chain`, e.g. `JPMD@eip155:8453`.
    public var description: String { "\(symbol)@\(chain)" }
}

/// What an amount is denominated in: a fiat currency or a token.
public enum Asset: Sendable, Hashable, CustomStringConvertible {
    case fiat(Currency)
    case token(Token)

    /// Digits after the decimal point in the asset's smallest unit.
    public var decimals: Int {
        switch self {
        case .fiat(let currency): currency.minorUnits
        case .token(let token): token.decimals
        }
    }

    /// The currency code, or `SYMBOL@chain` for a token.
    public var code: String {
        switch self {
        case .fiat(let currency): currency.code
        case .token(let token): token.description
        }
    }

    /// The fiat currency, if this is one.
    public var currency: Currency? {
        if case .fiat(let currency) = self { return currency }
        return nil
    }

    public var description: String { code }
}
