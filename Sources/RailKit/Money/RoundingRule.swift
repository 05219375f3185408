/// How a value with more digits than its target scale is rounded. Always named explicitly.
public enum RoundingRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nearest; ties to the even neighbour (banker's rounding). The default for money.
    case halfEven
    /// Nearest; ties away from zero (commercial rounding).
    case halfUp
    /// Toward zero (truncate).
    case down
    /// Away from zero.
    case up
    /// Toward negative infinity.
    case floor
    /// Toward positive infinity.
    case ceiling

    /// Rounds the exact quotient `numerator / denominator` to an integer.
    /// - Precondition: `denominator != 0`.
    func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        // Sign of the exact result: the remainder takes the numerator's sign in Swift.
        let positive = (numerator < 0) == (denominator < 0)
        let awayFromZero: Int128 = positive ? 1 : -1
        let twiceRemainder = remainder.magnitude * 2
        let divisor = denominator.magnitude
        switch self {
        case .down:
            return quotient
        case .up:
            return quotient + awayFromZero
        case .floor:
            return positive ? quotient : quotient - 1
        case .ceiling:
            return positive ? quotient + 1 : quotient
        case .halfUp:
            return twiceRemainder >= divisor ? quotient + awayFromZero : quotient
        case .halfEven:
            if twiceRemainder > divisor { return quotient + awayFromZero }
            if twiceRemainder < divisor { return quotient }
            return quotient.isMultiple(of: 2) ? quotient : quotient + awayFromZero
        }
    }
}
