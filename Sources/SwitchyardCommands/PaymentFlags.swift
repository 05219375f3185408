import ArgumentParser
import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The payment described with flags, for people at a terminal.
struct PaymentFlags: ParsableArguments {
    @Option(help: ArgumentHelp("The amount as a decimal, e.g. 250000 or 250000.00.", valueName: "decimal"))
    var amount: String?
    @Option(help: ArgumentHelp("Source currency (ISO 4217).", valueName: "code"))
    var from: String?
    @Option(help: ArgumentHelp("Destination currency (ISO 4217, or CNH).", valueName: "code"))
    var to: String?
    @Option(help: ArgumentHelp("Which side the amount fixes: send (default) or receive.", valueName: "side"))
    var fixed: String?

    @Option(help: ArgumentHelp("Creditor's country of residence (ISO 3166 alpha-2).", valueName: "code"))
    var creditorCountry: String?
    @Option(help: ArgumentHelp("Creditor's legal name.", valueName: "name"))
    var creditorName: String?
    @Option(help: ArgumentHelp("institutional (default) or retail.", valueName: "kind"))
    var creditorKind: String?
    @Option(help: ArgumentHelp("Creditor's bank (BIC).", valueName: "bic"))
    var creditorBic: String?
    @Option(help: ArgumentHelp("Creditor's account number (or IBAN).", valueName: "account"))
    var creditorAccount: String?
    @Option(help: ArgumentHelp("Creditor's wallet as CHAIN_ID:ADDRESS, e.g. 8453:0x2222...", valueName: "wallet"))
    var creditorWallet: String?

    @Option(help: ArgumentHelp("Debtor's country (default US).", valueName: "code"))
    var debtorCountry: String?
    @Option(help: ArgumentHelp("Debtor's legal name.", valueName: "name"))
    var debtorName: String?
    @Option(help: ArgumentHelp("institutional (default) or retail.", valueName: "kind"))
    var debtorKind: String?
    @Option(help: ArgumentHelp("Debtor's wallet as CHAIN_ID:ADDRESS.", valueName: "wallet"))
    var debtorWallet: String?

    @Option(help: ArgumentHelp("cheapest (default), fastest or balanced.", valueName: "objective"))
    var objective: String?
    @Option(help: ArgumentHelp("Annual time value of money for balanced, e.g. 0.08.", valueName: "rate"))
    var timeValueRate: String?
    @Option(help: ArgumentHelp("Must arrive by (ISO 8601 with offset).", valueName: "time"))
    var deadline: String?
    @Option(help: ArgumentHelp("OUR, SHA or BEN for correspondent banking.", valueName: "code"))
    var chargeBearer: String?
    @Option(name: .customLong("rail"), help: ArgumentHelp("Only these rails (repeatable).", valueName: "id"))
    var rails: [String] = []
    @Option(name: .customLong("exclude-rail"), help: ArgumentHelp("Never these rails (repeatable).", valueName: "id"))
    var excludedRails: [String] = []
    @Option(help: ArgumentHelp("Your reference, e.g. an invoice number.", valueName: "text"))
    var reference: String?

    /// Whether any payment flag was given (they cannot be mixed with --request).
    var anySet: Bool {
        [amount, from, to, fixed, creditorCountry, creditorName, creditorKind, creditorBic, creditorAccount, creditorWallet,
         debtorCountry, debtorName, debtorKind, debtorWallet, objective, timeValueRate, deadline, chargeBearer, reference]
            .contains { $0 != nil } || !rails.isEmpty || !excludedRails.isEmpty
    }

    /// The payment intent, or a ``CommandFailure`` naming the flag and the rule.
    func intent() throws -> PaymentIntent {
        do {
            return try build()
        } catch let error as RailKit.ValidationError {
            throw CommandFailure(exitCode: 2, message: "\(error.field): \(error.message) (rule \(error.rule), got \"\(error.value)\")")
        }
    }

    private func required(_ value: String?, _ flag: String) throws -> String {
        guard let value else {
            throw RailKit.ValidationError(field: flag, value: "", rule: "flag.required", message: "is required (or pass --request FILE)")
        }
        return value
    }

    private func kind(_ text: String?, _ flag: String) throws -> PartyKind {
        guard let text else { return .institutional }
        guard let kind = PartyKind(rawValue: text) else {
            throw RailKit.ValidationError(field: flag, value: text, rule: "party.kind", message: "institutional or retail")
        }
        return kind
    }

    private func wallet(_ text: String?, _ flag: String) throws -> [Wallet] {
        guard let text else { return [] }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let chain = UInt64(parts[0]) else {
            throw RailKit.ValidationError(field: flag, value: text, rule: "wallet.format", message: "CHAIN_ID:ADDRESS, e.g. 8453:0x2222222222222222222222222222222222222222")
        }
        return [Wallet(chain: ChainID(evm: chain), address: try EVMAddress(parts[1], field: flag))]
    }

    private func build() throws -> PaymentIntent {
        let source = try Currency(code: try required(from, "--from"), field: "--from")
        let destination = try Currency(code: try required(to, "--to"), field: "--to")
        let side: FixedSide
        switch fixed ?? "send" {
        case "send": side = .send
        case "receive": side = .receive
        default: throw RailKit.ValidationError(field: "--fixed", value: fixed ?? "", rule: "amount.fixed", message: "send or receive")
        }
        let money = try Money(parsing: try required(amount, "--amount"), asset: .fiat(side == .send ? source : destination), field: "--amount")

        var creditorAccounts = AccountDetails(wallets: try wallet(creditorWallet, "--creditor-wallet"))
        if let creditorBic { creditorAccounts.bic = try BIC(creditorBic, field: "--creditor-bic") }
        if let creditorAccount {
            if let iban = try? IBAN(creditorAccount) { creditorAccounts.iban = iban } else { creditorAccounts.accountNumber = creditorAccount }
        }
        let creditor = Party(
            name: creditorName ?? "Creditor", country: try CountryCode(try required(creditorCountry, "--creditor-country"), field: "--creditor-country"),
            kind: try kind(creditorKind, "--creditor-kind"), accounts: creditorAccounts)
        let debtor = Party(
            name: debtorName ?? "Debtor", country: try CountryCode(debtorCountry ?? "US", field: "--debtor-country"),
            kind: try kind(debtorKind, "--debtor-kind"), accounts: AccountDetails(wallets: try wallet(debtorWallet, "--debtor-wallet")))

        let routingObjective: RoutingObjective
        switch objective ?? "cheapest" {
        case "cheapest": routingObjective = .cheapest
        case "fastest": routingObjective = .fastest
        case "balanced":
            let rate = try ExactDecimal(parsing: try required(timeValueRate, "--time-value-rate"), field: "--time-value-rate")
            routingObjective = .balanced(annualTimeValueRate: rate)
        default:
            throw RailKit.ValidationError(field: "--objective", value: objective ?? "", rule: "objective.unknown", message: "cheapest, fastest or balanced")
        }
        var deadlineDate: Date?
        if let deadline {
            guard let parsed = Timestamp.parse(deadline) else {
                throw RailKit.ValidationError(field: "--deadline", value: deadline, rule: "timestamp.format",
                                      message: "an ISO 8601 date-time with offset, e.g. 2026-11-25T17:00:00+08:00")
            }
            deadlineDate = parsed
        }
        var bearer: ChargeBearer?
        if let chargeBearer {
            guard let parsed = ChargeBearer(rawValue: chargeBearer) else {
                throw RailKit.ValidationError(field: "--charge-bearer", value: chargeBearer, rule: "charge_bearer", message: "OUR, SHA or BEN")
            }
            bearer = parsed
        }
        return try PaymentIntent(
            reference: reference, debtor: debtor, creditor: creditor, sourceCurrency: source, destinationCurrency: destination,
            amount: PaymentAmount(money, fixed: side), deadline: deadlineDate, objective: routingObjective,
            rails: RailSelection(allowed: rails.isEmpty ? nil : try rails.map { try RailID($0, field: "--rail") },
                                 excluded: try excludedRails.map { try RailID($0, field: "--exclude-rail") }),
            chargeBearer: bearer)
    }
}
