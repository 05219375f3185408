/// An integration failure: the rail could not answer (as opposed to a ``RailDecline``, where it
/// answered no). Messages never contain secrets (keys, credentials).
public enum RailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The counterparty (node, bank API, price source) could not be reached or failed.
    case unavailable(String)
    /// The counterparty answered something that could not be understood.
    case invalidResponse(String)
    /// The rail's configuration is unusable for this request (e.g. a calendar ends too early).
    case misconfigured(String)
    /// The rail does not support this operation; its capabilities say so (e.g. execution before
    /// the rail's execution work has landed).
    case unsupported(operation: String, rail: RailID)
    /// Arithmetic on amounts failed.
    case money(MoneyError)
    /// At execution the rail refused the payment (quote expired, a check failed); nothing was sent.
    case declined(RailDecline)

    public var description: String {
        switch self {
        case .unavailable(let detail): "rail unavailable: \(detail)"
        case .invalidResponse(let detail): "invalid response: \(detail)"
        case .misconfigured(let detail): "rail misconfigured: \(detail)"
        case .unsupported(let operation, let rail): "\(rail) does not support \(operation)"
        case .money(let error): error.description
        case .declined(let decline): "declined: \(decline)"
        }
    }
}
