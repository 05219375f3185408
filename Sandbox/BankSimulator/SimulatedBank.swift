import Foundation
import ISO20022
import Logging
import RailKit
import RailKitSupport

/// A correspondent bank that takes pacs.008 and answers pacs.002 / pacs.004, for the sandbox and tests.
///
/// On receipt it validates the message (official XSD, CBPR+ parsing, its own BIC, the currency,
/// the amount limit, duplicates, reachability of the creditor agent, a sanctions list) and answers
/// ACTC or RJCT with the ISO reason code. An accepted payment then moves ACSP → ACSC → ACCC on
/// the simulator's clock: processing starts at the bank's cut-off and calendar, settlement and
/// credit take business hours in the currency's and the beneficiary bank's calendars. Under SHA
/// and BEN the intermediaries and the beneficiary bank deduct their fees, reported in the ACCC
/// (`ChrgsInf`). Accounts configured as closed come back with pacs.004 instead of being credited,
/// and any credited payment can be returned on request.
public actor SimulatedBank {
    public let settings: BankSimulatorSettings
    private let bankCalendar: BusinessCalendar
    /// Settlement and credit delays per cleared currency, and return delays per account, resolved once.
    private let stages: [Currency: (settlement: Latency, credit: Latency)]
    private let returnDelays: [String: Latency]
    private let validator: SchemaValidator?
    private let clock: any SimulatorClock
    private let logger: Logger
    private var payments = [UETR: SimulatedPayment]()
    private var messageIDs = [String: UETR]()
    /// How many times each UETR's pacs.008 arrived (a resend of a booked payment counts, and books nothing).
    private var deliveries = [UETR: Int]()
    private var sequence = 0

    public init(settings: BankSimulatorSettings, calendars: [String: BusinessCalendar], validator: SchemaValidator?,
                clock: any SimulatorClock, logger: Logger = Logger(label: "switchyard.bank-simulator")) throws {
        let context = RailConfigurationContext(calendars: calendars)
        bankCalendar = try context.calendar(settings.calendar, field: "calendar")
        var stages = [Currency: (settlement: Latency, credit: Latency)]()
        for (index, clearing) in settings.currencies.enumerated() {
            stages[clearing.currency] = (try clearing.settlement.resolve(context, field: "currencies[\(index)].settlement"),
                                         try clearing.credit.resolve(context, field: "currencies[\(index)].credit"))
        }
        var returnDelays = [String: Latency]()
        for (index, returned) in settings.returnedAccounts.enumerated() {
            returnDelays[returned.account] = try returned.after.resolve(context, field: "returnedAccounts[\(index)].after")
        }
        self.settings = settings
        self.stages = stages
        self.returnDelays = returnDelays
        self.validator = validator
        self.clock = clock
        self.logger = logger
    }

    public var timeZone: TimeZone { bankCalendar.timeZone }

    // MARK: Receiving

    /// Takes a pacs.008 (bare or enveloped) and answers with a pacs.002: ACTC, RJCT, or, for a
    /// UETR already received, its current status (so a resend is harmless).
    public func receive(_ body: Data) throws -> Data {
        let now = clock.now()
        let raw: ParsedDocument, document: ParsedDocument
        do {
            raw = try MessageReader.parse(body)
            document = try raw.unwrappingEnvelope()
        } catch {
            return try reject(nil, reasons: [Self.reason("FF01", error.description)], at: now)
        }
        // An enveloped message (header + document) is validated on its Document alone.
        let schemaInput = raw.root.name == "Envelope" ? document.standaloneXML() : body
        if let problem = try validator?.validate(schemaInput, as: .pacs008) {
            return try reject(document, reasons: [Self.reason("FF01", "schema: " + problem)], at: now)
        }
        let transfer: CustomerCreditTransfer
        do {
            let parsed = try CustomerCreditTransfer(parsing: document)
            // ISO 20022 has no CNH: a bank that clears offshore yuan books CNY for a creditor bank
            // outside the mainland as CNH; CNY for a mainland bank is onshore yuan, cleared or not.
            transfer = settings.clearing(for: .cnh) != nil && parsed.creditorAgent.country != .china ? parsed.bookedAsOffshoreYuan : parsed
        } catch {
            let code = "\(error)".contains("IBAN") ? "AC01" : "FF01"
            return try reject(document, reasons: [Self.reason(code, error.description)], at: now)
        }
        deliveries[transfer.uetr, default: 0] += 1
        if let existing = payments[transfer.uetr] {
            return try statusReport(for: existing, at: now)
        }
        var payment = SimulatedPayment(transfer: transfer, uetr: transfer.uetr, messageID: transfer.messageID,
                                       endToEndID: transfer.endToEndID, receivedAt: now, outcome: screen(transfer, at: now))
        messageIDs[transfer.messageID] = transfer.uetr
        if case .rejected(let reasons) = payment.outcome {
            payment.lastNotified = "RJCT"
            payments[transfer.uetr] = payment
            logger.info("rejected", metadata: ["uetr": "\(transfer.uetr)", "reasons": "\(reasons.map(\.code))"])
            return try statusReport(for: payment, at: now)
        }
        // The synchronous answer is the technical acceptance; later states follow by poll or callback.
        payment.lastNotified = TransactionStatusCode.acceptedTechnicalValidation.rawValue
        payments[transfer.uetr] = payment
        logger.info("accepted", metadata: ["uetr": "\(transfer.uetr)", "amount": "\(transfer.settlementAmount)"])
        return try statusReport(for: payment, at: now, reporting: .acceptedTechnicalValidation)
    }

    /// The bank's checks, in the order a bank runs them; the first failure decides.
    private func screen(_ transfer: CustomerCreditTransfer, at now: Date) -> SimulatedPayment.Outcome {
        if transfer.instructedAgent.bic11 != settings.bank.bic.bic11 {
            return .rejected([Self.reason("RC01", "instructed agent \(transfer.instructedAgent) is not \(settings.bank.bic)")])
        }
        if let rules = settings.messageRules, let refusal = Self.schemeRefusal(transfer, rules: rules) { return .rejected([refusal]) }
        if let earlier = messageIDs[transfer.messageID], earlier != transfer.uetr {
            return .rejected([Self.reason("AM05", "message id \(transfer.messageID) already used")])
        }
        guard let currency = transfer.settlementAmount.currency, let clearing = settings.clearing(for: currency) else {
            return .rejected([Self.reason("AM03", "\(transfer.settlementAmount.asset.code) is not cleared by \(settings.bank.bic)")])
        }
        if let maximum = clearing.maximum?.money, maximum < transfer.settlementAmount {
            return .rejected([Self.reason("AM02", "above the limit of \(maximum)")])
        }
        if !settings.reachableBICs.isEmpty, !settings.reachableBICs.contains(where: { $0.bic11 == transfer.creditorAgent.bic11 }) {
            return .rejected([Self.reason("RC04", "creditor agent \(transfer.creditorAgent) is not reachable")])
        }
        for party in [transfer.debtor, transfer.creditor] {
            if let hit = settings.sanctions.first(where: { Self.screeningForm($0.name) == Self.screeningForm(party.name) }) {
                logger.warning("sanctions hit", metadata: ["uetr": "\(transfer.uetr)", "list": "\(hit.source)"])
                return .rejected([Self.reason("RR04", "sanctions screening hit")])
            }
        }
        do {
            return .accepted(try schedule(transfer, clearing: clearing, at: now))
        } catch {
            return .rejected([Self.reason("AM02", "\(error)")])
        }
    }

    private func schedule(_ transfer: CustomerCreditTransfer, clearing: BankSimulatorSettings.CurrencyClearing,
                          at now: Date) throws -> SimulatedPayment.Schedule {
        let asset = transfer.settlementAmount.asset
        var deductions = [AgentCharge]()
        if transfer.chargeBearer != .our {
            for agent in [transfer.instructedAgent] + transfer.intermediaries {
                if let fee = settings.fee(of: agent, in: asset), !fee.isZero { deductions.append(AgentCharge(amount: fee, agent: agent)) }
            }
            if let fee = clearing.beneficiaryBankFee?.money, !fee.isZero {
                deductions.append(AgentCharge(amount: fee, agent: transfer.creditorAgent))
            }
        }
        let total = try deductions.map(\.amount).sum(in: asset)
        guard total < transfer.settlementAmount else {
            throw SimulatorRefusal("charges of \(total) would consume the payment")
        }
        guard let stage = stages[clearing.currency] else { throw SimulatorRefusal("no clearing stages for \(clearing.currency)") }
        let inProcess = try bankCalendar.processingStart(for: now, cutOff: settings.cutOff)
        let settled = try stage.settlement.end(from: inProcess)
        var schedule = SimulatedPayment.Schedule(settlementInProcess: inProcess, settled: settled, credited: nil, deductions: deductions)
        let account = transfer.creditorAccount.description
        if let closed = settings.returnedAccounts.first(where: { $0.account == account }), let delay = returnDelays[account] {
            schedule.returning = (try delay.end(from: settled), Self.reason(closed.reason, "account \(closed.account) cannot be credited"))
        } else {
            schedule.credited = try stage.credit.end(from: settled)
        }
        return schedule
    }

    /// Records and answers a rejection; a message that failed its checks may still carry a UETR
    /// and message id worth echoing back.
    private func reject(_ parsed: ParsedDocument?, reasons: [StatusReason], at now: Date) throws -> Data {
        let transaction = parsed?.root.child("FIToFICstmrCdtTrf")?.child("CdtTrfTxInf")
        let uetr = transaction?.text(at: "PmtId", "UETR").flatMap { try? UETR($0) }
        let messageID = parsed?.root.text(at: "FIToFICstmrCdtTrf", "GrpHdr", "MsgId") ?? "UNKNOWN"
        let payment = SimulatedPayment(transfer: nil, uetr: uetr, messageID: messageID,
                                       endToEndID: transaction?.text(at: "PmtId", "EndToEndId"),
                                       receivedAt: now, outcome: .rejected(reasons), lastNotified: "RJCT")
        if let uetr, payments[uetr] == nil { payments[uetr] = payment }
        logger.info("rejected unreadable message", metadata: ["reasons": "\(reasons.map(\.code))"])
        return try statusReport(for: payment, at: now)
    }

    // MARK: Reporting

    /// The latest message about a payment: a pacs.002 with its current status, or its pacs.004.
    /// One line per payment the bank holds: what a test counts to prove a payment was booked once.
    public struct LedgerEntry: Sendable, Codable, Hashable {
        public var uetr: String
        public var messageID: String
        public var deliveries: Int
        public var rejected: Bool
    }

    /// Every payment the bank holds, by UETR (each booked once however often it arrived).
    public func ledger() -> [LedgerEntry] {
        payments.map { uetr, payment in
            let rejected = if case .rejected = payment.outcome { true } else { false }
            return LedgerEntry(uetr: uetr.value, messageID: payment.messageID, deliveries: deliveries[uetr] ?? 0, rejected: rejected)
        }.sorted { $0.uetr < $1.uetr }
    }

    public func latestMessage(for uetr: UETR) throws -> Data? {
        guard let payment = payments[uetr] else { return nil }
        return try message(for: payment, at: clock.now())
    }

    /// Messages for payments whose state changed since they were last reported, marking them
    /// reported. The server posts them to the callback URL.
    public func takeDueNotifications() throws -> [(uetr: UETR, message: Data)] {
        let now = clock.now()
        var due = [(uetr: UETR, message: Data)]()
        for (uetr, payment) in payments.sorted(by: { $0.value.receivedAt < $1.value.receivedAt }) {
            let key = payment.stateKey(at: now)
            guard key != payment.lastNotified else { continue }
            due.append((uetr, try message(for: payment, at: now)))
            payments[uetr]?.lastNotified = key
        }
        return due
    }

    /// Sends a credited (or settled) payment back with pacs.004, as a beneficiary bank would on
    /// a recall or a later discovery. Refused for unknown, rejected or already returned payments.
    public func returnPayment(_ uetr: UETR, reason code: String, information: String?) throws {
        let now = clock.now()
        guard var payment = payments[uetr], case .accepted(var schedule) = payment.outcome else {
            throw SimulatorRefusal("no accepted payment with UETR \(uetr)")
        }
        guard schedule.returning == nil else { throw SimulatorRefusal("payment \(uetr) is already being returned") }
        guard now >= schedule.settled else { throw SimulatorRefusal("payment \(uetr) has not settled yet") }
        schedule.returning = (now, Self.reason(code, information))
        payment.outcome = .accepted(schedule)
        payments[uetr] = payment
    }

    private func message(for payment: SimulatedPayment, at now: Date) throws -> Data {
        if payment.status(at: now) == nil, let transfer = payment.transfer, case .accepted(let schedule) = payment.outcome,
           let returning = schedule.returning {
            return try paymentReturn(transfer, schedule: schedule, reason: returning.reason, at: returning.at)
        }
        return try statusReport(for: payment, at: now)
    }

    private func statusReport(for payment: SimulatedPayment, at now: Date, reporting override: TransactionStatusCode? = nil) throws -> Data {
        let status = override ?? payment.status(at: now) ?? .acceptedSettlementCompleted
        var transaction = TransactionStatus(originalEndToEndID: payment.endToEndID, originalUETR: payment.uetr, status: status,
                                            reportingAgent: settings.bank.bic)
        switch payment.outcome {
        case .rejected(let reasons):
            transaction.reasons = reasons
        case .accepted(let schedule):
            transaction.acceptedAt = payment.receivedAt
            if status == .acceptedCreditSettlementCompleted {
                transaction.charges = schedule.deductions
                transaction.originalSettlementAmount = payment.transfer?.settlementAmount
            }
        }
        let report = PaymentStatusReport(messageID: nextMessageID("S"), createdAt: now, originalMessageID: payment.messageID,
                                         transactions: [transaction])
        return Data(try report.document(timeZone: timeZone).document().utf8)
    }

    private func paymentReturn(_ transfer: CustomerCreditTransfer, schedule: SimulatedPayment.Schedule,
                               reason: StatusReason, at instant: Date) throws -> Data {
        // What the beneficiary bank received (after deductions) is what goes back.
        let deducted = try schedule.deductions.filter { $0.amount.asset == transfer.settlementAmount.asset }.map(\.amount)
            .sum(in: transfer.settlementAmount.asset)
        let returned = try transfer.settlementAmount.subtracting(deducted)
        let message = PaymentReturn(
            messageID: nextMessageID("R"), createdAt: instant, returnID: "RTR" + String(transfer.uetr.value.prefix(8)),
            originalMessageID: transfer.messageID, originalEndToEndID: transfer.endToEndID, originalUETR: transfer.uetr,
            originalSettlementAmount: transfer.settlementAmount, returnedAmount: returned,
            settlementDate: bankCalendar.localDate(of: instant), charges: schedule.deductions,
            instructingAgent: settings.bank.bic, instructedAgent: transfer.instructingAgent, reasons: [reason])
        return Data(try message.document(timeZone: timeZone).document().utf8)
    }

    /// What a scheme's rules refuse in an otherwise valid message, as the ISO reason: text outside
    /// the scheme's characters (FF01), a creditor agent outside its countries (RC04), a missing or
    /// unaccepted purpose or a trade payment that names no invoice (RR05: regulatory information).
    static func schemeRefusal(_ transfer: CustomerCreditTransfer, rules: BankSimulatorSettings.MessageRules) -> StatusReason? {
        let texts = [("Dbtr/Nm", transfer.debtor.name), ("Cdtr/Nm", transfer.creditor.name), ("RmtInf/Ustrd", transfer.remittanceInformation ?? "")]
        if let (path, _) = texts.first(where: { !rules.characterSet.accepts($0.1) }) {
            return reason("FF01", "\(path) holds characters outside the \(rules.characterSet.rawValue) character set")
        }
        if let countries = rules.creditorCountries, !countries.contains(transfer.creditorAgent.country) {
            return reason("RC04", "creditor agent \(transfer.creditorAgent) is not in \(countries.map(\.code).joined(separator: ", "))")
        }
        if let purposes = rules.purposes {
            guard let purpose = transfer.purpose, purposes.contains(purpose) else {
                return reason("RR05", "purpose \(transfer.purpose ?? "missing") is not one of \(purposes.joined(separator: " "))")
            }
            if rules.invoiceRequiredFor?.contains(purpose) == true,
               transfer.remittanceInformation?.firstMatch(of: /\/INV\/[^ \/]+/) == nil {
                return reason("RR05", "a \(purpose) payment names its invoice in RmtInf as /INV/<number>")
            }
        }
        return nil
    }

    // MARK: Helpers

    private func nextMessageID(_ kind: String) -> String {
        sequence += 1
        return "SIM\(kind)\(settings.bank.bic.bic8)\(String(format: "%08d", sequence))"
    }

    static func reason(_ code: String, _ information: String?) -> StatusReason {
        // AddtlInf is at most 105 SWIFT characters a line; long diagnostics are split over lines.
        let text = (information ?? "").map { SWIFTText.allowed.contains($0) ? $0 : " " }
        let lines = stride(from: 0, to: min(text.count, 315), by: 105).map { start in
            String(text[start..<min(start + 105, text.count)]).trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return StatusReason(code: code, additionalInformation: lines)
    }

    /// Names compared for screening: upper case letters and digits only.
    static func screeningForm(_ name: String) -> String {
        String(name.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

/// Why the simulator refused a request (an unknown payment, a return too early).
public struct SimulatorRefusal: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension SimulatedBank {
    /// Forgets that a payment's current state was reported, so the next callback round sends it again.
    public func markUndelivered(_ uetr: UETR) {
        payments[uetr]?.lastNotified = nil
    }
}
