import RailKit

extension AccountDetails {
    /// The countries a bank account says it is in: the bank's (BIC characters 5–6) and, with an
    /// IBAN, the IBAN's. Empty without a BIC. A rail that credits accounts in certain countries
    /// checks every one of them, so a mainland or US account is never promised a Hong Kong payout.
    public var bankAccountCountries: [(field: String, country: CountryCode)] {
        guard let bic else { return [] }
        var countries = [("accounts.bic", bic.country)]
        if let iban { countries.append(("accounts.iban", iban.country)) }
        return countries
    }

    /// Why a rail that pays out only to bank accounts in `countries` cannot credit this account,
    /// or nil when it can. `payer` names who pays out ("HK off-ramp partner", "the USD→CNH corridor").
    /// The caller says first what it needs when there is no bank account at all (its own words).
    public func payoutCountryDecline(countries: [CountryCode], payer: String) -> RailDecline? {
        guard let bic, let outside = bankAccountCountries.first(where: { !countries.contains($0.country) }) else { return nil }
        return RailDecline(.corridorNotSupported,
            "\(payer) pays out to bank accounts in \(countries.map(\.code).joined(separator: ", ")) only; "
            + (outside.field == "accounts.iban" ? "the creditor's IBAN is from \(outside.country)." : "the creditor's account is with \(bic) in \(outside.country)."))
    }
}
