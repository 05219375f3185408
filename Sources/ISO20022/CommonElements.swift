import Foundation
import RailKit
import RailKitSupport

/// Date-times with an explicit UTC offset (CBPR+ forbids `Z` and offset-less times), dates and
/// amounts as ISO 20022 writes them.
public enum ISODateTime {
    /// `2026-11-20T09:15:00-05:00`: the instant in `timeZone`, with its offset.
    public static func format(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let offset = timeZone.secondsFromGMT(for: instant)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d",
                      parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!, sign, hours, minutes)
    }

    /// Reads an ISO date-time with an offset or `Z`, with or without fractional seconds.
    public static func parse(_ text: String, path: String) throws(ISO20022Error) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw .invalidValue(path: path, value: text, rule: "iso.date_time_with_offset")
    }
}

extension MessageElement {
    /// `<Name Ccy="USD">1234.5</Name>`: an amount with its currency, at most 5 decimals (ActiveCurrencyAndAmount).
    /// Offshore yuan is written `CNY`: ISO 20022 carries ISO 4217 codes, and CNH is a market code.
    static func amount(_ name: String, _ money: Money) -> MessageElement {
        MessageElement(name, money.decimalValue.normalized.description, attributes: [Attribute("Ccy", money.currency == .cnh ? "CNY" : money.asset.code)])
    }

    /// An agent identified by BIC only, as CBPR+ prefers (`FinInstnId/BICFI`).
    static func agent(_ name: String, _ bic: BIC) -> MessageElement {
        MessageElement(name, [MessageElement("FinInstnId", [MessageElement("BICFI", bic.code)])])
    }

    /// Reads an amount element: a decimal with a `Ccy` attribute.
    func money(path: String) throws(ISO20022Error) -> Money {
        guard let code = attribute("Ccy") else { throw .missing(path: path + "/@Ccy") }
        guard code != "CNH" else {
            throw .invalidValue(path: path + "/@Ccy", value: code, rule: "iso4217 (CNH is a market code; ISO 20022 carries offshore yuan as CNY)")
        }
        let currency: Currency
        do { currency = try Currency(code: code) } catch { throw .invalidValue(path: path + "/@Ccy", value: code, rule: error.rule) }
        let digits = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let value = try ExactDecimal(parsing: digits)
            // Exact in the currency's minor units, or refused (a bank never credits fractions of a cent).
            return try Money(exactly: value, asset: .fiat(currency), field: path)
        } catch {
            throw .invalidValue(path: path, value: digits, rule: "iso.amount_in_minor_units")
        }
    }

    /// The BIC at `FinInstnId/BICFI` of an agent element.
    func agentBIC(path: String) throws(ISO20022Error) -> BIC {
        guard let text = text(at: "FinInstnId", "BICFI") else { throw .missing(path: path + "/FinInstnId/BICFI") }
        do { return try BIC(text) } catch { throw .invalidValue(path: path + "/FinInstnId/BICFI", value: text, rule: error.rule) }
    }

    /// `<ChrgsInf><Amt Ccy="…">…</Amt><Agt>…</Agt></ChrgsInf>`: a charge an agent took.
    static func charge(_ charge: AgentCharge) -> MessageElement {
        MessageElement("ChrgsInf", [.amount("Amt", charge.amount), .agent("Agt", charge.agent)])
    }

    /// The `ChrgsInf` children read as charges; `path` is this element's path, for errors.
    func charges(path: String) throws(ISO20022Error) -> [AgentCharge] {
        var charges = [AgentCharge]()
        for (index, charge) in children(named: "ChrgsInf").enumerated() {
            let chargePath = "\(path)/ChrgsInf[\(index)]"
            guard let amount = try charge.child("Amt")?.money(path: "\(chargePath)/Amt") else { throw .missing(path: "\(chargePath)/Amt") }
            guard let agent = charge.child("Agt") else { throw .missing(path: "\(chargePath)/Agt") }
            charges.append(AgentCharge(amount: amount, agent: try agent.agentBIC(path: "\(chargePath)/Agt")))
        }
        return charges
    }

    /// A required child's trimmed text.
    func required(_ path: String..., in context: String) throws(ISO20022Error) -> String {
        guard let value = element(at: path)?.text?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw .missing(path: ([context] + path).joined(separator: "/"))
        }
        return value
    }
}

extension LocalDate {
    static func parse(_ text: String, path: String) throws(ISO20022Error) -> LocalDate {
        do { return try LocalDate(text, field: path) } catch { throw .invalidValue(path: path, value: text, rule: "iso.date") }
    }
}

/// ISO 20022 message namespaces.
public enum MessageType: String, Sendable, Hashable, CaseIterable {
    case pacs008 = "pacs.008.001.08"
    case pacs002 = "pacs.002.001.10"
    case pacs004 = "pacs.004.001.09"

    public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }

    public init?(namespace: String) {
        guard let match = Self.allCases.first(where: { $0.namespace == namespace }) else { return nil }
        self = match
    }
}

extension Money {
    /// ISO 20022 names offshore and onshore yuan alike `CNY`. A party that books offshore yuan
    /// (a Hong Kong bank, a rail that delivers CNH) reads a message's CNY amount as CNH, to the fen.
    public var bookedAsOffshoreYuan: Money {
        currency == .cny ? Money(minorUnits: minorUnits, asset: .fiat(.cnh)) : self
    }
}

extension CustomerCreditTransfer {
    /// This transfer as an offshore-yuan bank books it: every CNY amount (settlement, instructed,
    /// charges) as CNH.
    public var bookedAsOffshoreYuan: CustomerCreditTransfer {
        var transfer = self
        transfer.settlementAmount = settlementAmount.bookedAsOffshoreYuan
        transfer.instructedAmount = instructedAmount?.bookedAsOffshoreYuan
        transfer.charges = charges.map { AgentCharge(amount: $0.amount.bookedAsOffshoreYuan, agent: $0.agent) }
        return transfer
    }
}
