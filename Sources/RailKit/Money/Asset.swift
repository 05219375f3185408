/// A token on a chain (an ERC-20 on an EVM chain), or the chain's native coin when `contract` is nil.
public struct Token: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Ticker, e.g. `JPMD`, `AxCNH`, `ETH`.
    public let symbol: String
    /// The chain, as a CAIP-2 identifier such as `eip155:8453`.
    public let chain: ChainID
    /// The token contract, or nil for the chain's native coin.
    public let contract: ChainAddress?
    /// Digits in the token's base unit (read on chain; never assumed for a real token).
    public let decimals: Int
    /// The fiat currency one whole token is redeemable for, if any (USD for JPMD, CNH for AxCNH).
    public let denomination: Currency?

    public init(symbol: String, chain: ChainID, contract: ChainAddress?, decimals: Int, denomination: Currency?) {
        precondition((0...ExactDecimal.maxScale).contains(decimals), "token decimals out of range")
        self.symbol = symbol
        self.chain = chain
        self.contract = contract
        self.decimals = decimals
        self.denomination = denomination
    }

    private enum CodingKeys: String, CodingKey { case symbol, chain, contract, decimals, denomination }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let chain = try container.decode(ChainID.self, forKey: .chain)
        let decimals = try container.decode(Int.self, forKey: .decimals)
        guard (0...ExactDecimal.maxScale).contains(decimals) else {
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.decimals]), value: String(decimals),
                                  rule: "token.decimals", message: "between 0 and \(ExactDecimal.maxScale)")
        }
        let contract = try container.decodeIfPresent(String.self, forKey: .contract).map { text throws(ValidationError) in
            try ChainAddress(text, on: chain, field: CodingPath.format(decoder.codingPath + [CodingKeys.contract]))
        }
        self.init(symbol: try container.decode(String.self, forKey: .symbol), chain: chain, contract: contract,
                  decimals: decimals, denomination: try container.decodeIfPresent(Currency.self, forKey: .denomination))
    }

    /// `SYMBOL@chain`, e.g. `JPMD@eip155:8453`.
    public var description: String { "\(symbol)@\(chain)" }
}

/// What an amount is denominated in: a fiat currency or a token.
///
/// A token is held in a box of its own (`indirect`): money is copied at every step of pricing,
/// and a copy is then one reference instead of a token's four strings, which also makes `Money`
/// a small value.
public enum Asset: Sendable, Hashable, CustomStringConvertible {
    case fiat(Currency)
    indirect case token(Token)

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

extension Asset: Codable {
    private enum CodingKeys: String, CodingKey { case currency, token }

    /// `{"currency": "USD"}` or `{"token": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fiat(let currency): try container.encode(currency, forKey: .currency)
        case .token(let token): try container.encode(token, forKey: .token)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let token = try container.decodeIfPresent(Token.self, forKey: .token) {
            self = .token(token)
        } else {
            self = .fiat(try container.decode(Currency.self, forKey: .currency))
        }
    }
}
