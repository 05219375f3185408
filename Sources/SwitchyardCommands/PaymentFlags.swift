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
            let intent = try build()
            // The same rules as a JSON intent (name and account lengths, reference, every field's
            // own checks): the intent built from flags is read back as JSON, its errors named by flag.
            do {
                return try JSONDecoder().decode(PaymentIntent.self, from: try RailCoding.encoder().encode(intent))
            } catch let error as RailKit.ValidationError {
                var named = error
                named.field = Self.flag(forField: error.field)
                throw named
            }
        } catch let error as RailKit.ValidationError {
            // Errors of the intent's own rules name its fields (`amount.amount`): said by flag.
            throw CommandFailure(exitCode: 2, message: "\(Self.flag(forField: error.field)): \(error.message) (rule \(error.rule), got \"\(error.value)\")")
        }
    }

    /// The flag that sets a JSON intent's field (`creditor.accounts.accountNumber` is `--creditor-account`).
    static func flag(forField field: String) -> String {
        let flags: [(prefix: String, flag: String)] = [
            ("creditor.name", "--creditor-name"), ("creditor.country", "--creditor-country"), ("creditor.kind", "--creditor-kind"),
            ("creditor.accounts.accountNumber", "--creditor-account"), ("creditor.accounts.iban", "--creditor-account"),
            ("creditor.accounts.bic", "--creditor-bic"), ("creditor.accounts.wallets", "--creditor-wallet"),
            ("debtor.name", "--debtor-name"), ("debtor.country", "--debtor-country"), ("debtor.kind", "--debtor-kind"),
            ("debtor.accounts.wallets", "--debtor-wallet"), ("amount", "--amount"), ("deadline", "--deadline"),
            ("objective", "--time-value-rate"), ("chargeBearer", "--charge-bearer"), ("reference", "--reference"),
            ("rails.allowed", "--rail"), ("rails.excluded", "--exclude-rail"),
        ]
        return flags.first { field == $0.prefix || field.hasPrefix($0.prefix + ".") || field.hasPrefix($0.prefix + "[") }?.flag ?? field
    }

    /// Whether a flag's account looks like an IBAN (two letters, two digits, then letters or
    /// digits, 15 to 34 in all, spaces aside): such an account is read as an IBAN and must pass
    /// its checks, never silently taken as a domestic account number.
    static func looksLikeIBAN(_ text: String) -> Bool {
        let compact = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        func letter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        func digit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        return (15...34).contains(compact.count) && letter(compact[0]) && letter(compact[1]) && digit(compact[2]) && digit(compact[3])
            && compact.dropFirst(4).allSatisfy { letter($0) || digit($0) }
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
            if Self.looksLikeIBAN(creditorAccount) {
                creditorAccounts.iban = try IBAN(creditorAccount.uppercased(), field: "--creditor-account")
            } else {
                creditorAccounts.accountNumber = creditorAccount
            }
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
