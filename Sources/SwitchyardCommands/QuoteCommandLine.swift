import ArgumentParser

/// Reads the usual `switchyard quote` command lines without ArgumentParser's reflection, which
/// costs a quote process about 2.5 ms of CPU (it searches the binary's 12,475 protocol
/// conformance records some forty times: README "Benchmarks"). ArgumentParser stays the
/// definition: this reader takes only the long options of ``QuoteCommand`` as `--name value` or
/// `--name=value`, each single-valued option and flag at most once, and declines anything else,
/// which ArgumentParser then reads and reports: help, `--`, a short flag, a positional argument,
/// a value that starts with `-` (other than `-` itself), `--name=` with nothing after it, an
/// unknown or repeated name, a failed validation. Tests hold the two to the same result on
/// generated command lines, and the names to ArgumentParser's own description of the command.
enum QuoteCommandLine {
    /// The options that take a value, by long name.
    static let options: Set<String> = [
        "config", "overlay", "request", "now", "data-dir",
        "amount", "from", "to", "fixed", "creditor-country", "creditor-name", "creditor-kind", "creditor-bic", "creditor-account",
        "creditor-wallet", "debtor-country", "debtor-name", "debtor-kind", "debtor-wallet", "objective", "time-value-rate", "deadline",
        "charge-bearer", "reference",
    ]
    /// The options that may be given more than once, each value kept in order.
    static let repeatableOptions: Set<String> = ["rail", "exclude-rail"]
    /// The flags (no value).
    static let flags: Set<String> = ["verbose", "json", "save"]

    /// The command `arguments` (without the executable's name) give, or nil where ArgumentParser must read them.
    static func parse(_ arguments: [String]) -> QuoteCommand? {
        guard arguments.first == "quote" else { return nil }
        var values = [String: String]()
        var lists = [String: [String]]()
        var flagsGiven = Set<String>()
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
            let body = argument.dropFirst(2)
            let name: String
            var value: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
                // ArgumentParser reads `--name=` as a value missing.
                guard value?.isEmpty == false else { return nil }
            } else {
                name = String(body)
            }
            if flags.contains(name) {
                guard value == nil, flagsGiven.insert(name).inserted else { return nil }
                index += 1
                continue
            }
            guard options.contains(name) || repeatableOptions.contains(name) else { return nil }
            if value == nil {
                guard index + 1 < arguments.count else { return nil }
                index += 1
                value = arguments[index]
            }
            // A value like a flag is ArgumentParser's to read; a lone `-` (standard input) is a value to both.
            guard let value, value == "-" || !value.hasPrefix("-") else { return nil }
            if repeatableOptions.contains(name) {
                lists[name, default: []].append(value)
            } else {
                guard values.updateValue(value, forKey: name) == nil else { return nil }
            }
            index += 1
        }

        var configuration = ConfigurationOptions()
        configuration.config = values["config"]
        configuration.overlay = values["overlay"]
        configuration.verbose = flagsGiven.contains("verbose")

        var payment = PaymentFlags()
        payment.amount = values["amount"]
        payment.from = values["from"]
        payment.to = values["to"]
        payment.fixed = values["fixed"]
        payment.creditorCountry = values["creditor-country"]
        payment.creditorName = values["creditor-name"]
        payment.creditorKind = values["creditor-kind"]
        payment.creditorBic = values["creditor-bic"]
        payment.creditorAccount = values["creditor-account"]
        payment.creditorWallet = values["creditor-wallet"]
        payment.debtorCountry = values["debtor-country"]
        payment.debtorName = values["debtor-name"]
        payment.debtorKind = values["debtor-kind"]
        payment.debtorWallet = values["debtor-wallet"]
        payment.objective = values["objective"]
        payment.timeValueRate = values["time-value-rate"]
        payment.deadline = values["deadline"]
        payment.chargeBearer = values["charge-bearer"]
        payment.rails = lists["rail"] ?? []
        payment.excludedRails = lists["exclude-rail"] ?? []
        payment.reference = values["reference"]

        var store = StoreOptions()
        store.dataDirectory = values["data-dir"]

        var command = QuoteCommand()
        command.configuration = configuration
        command.payment = payment
        command.request = values["request"]
        command.json = flagsGiven.contains("json")
        command.now = values["now"]
        command.save = flagsGiven.contains("save")
        command.store = store
        // As ArgumentParser does after parsing: each group's checks, then the command's.
        do {
            try command.configuration.validate()
            try command.payment.validate()
            try command.store.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }
}
