import RailKit

extension AccountDetails {
    /// Why a rail that pays out only to bank accounts in `countries` cannot credit this account,
    /// or nil when it can: the bank's country (BIC characters 5–6) and, with an IBAN, the IBAN's
    /// must both be among them, so a mainland or US account is never promised a Hong Kong payout.
    /// `payer` names who pays out ("HK off-ramp partner", "the USD→CNH corridor"); it is built only
    /// for a decline (quotes ask this of every payment). The caller says first what it needs when
    /// there is no bank account at all (its own words).
    public func payoutCountryDecline(countries: [CountryCode], payer: @autoclosure () -> String) -> RailDecline? {
        guard let bic else { return nil }
        let why: String
        if !countries.contains(bic.country) {
            why = "the creditor's account is with \(bic) in \(bic.country)."
        } else if let iban, !countries.contains(iban.country) {
            why = "the creditor's IBAN is from \(iban.country)."
        } else {
            return nil
        }
        return RailDecline(.corridorNotSupported,
            "\(payer()) pays out to bank accounts in \(countries.map(\.code).joined(separator: ", ")) only; " + why)
    }
}
