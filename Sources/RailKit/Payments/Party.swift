/// Whether a party is a business/institution or a natural person or small retail customer.
public enum PartyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case institutional
    case retail
}

/// A wallet on a chain that a party controls.
public struct Wallet: Sendable, Hashable, Codable {
    public var chain: ChainID
    public var address: ChainAddress

    public init(chain: ChainID, address: ChainAddress) {
        self.chain = chain
        self.address = address
    }

    private enum CodingKeys: String, CodingKey { case chain, address }

    /// Reads a wallet, checking the address's shape for its chain.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        chain = try container.decode(ChainID.self, forKey: .chain)
        address = try ChainAddress(try container.decode(String.self, forKey: .address), on: chain,
                                   field: CodingPath.format(decoder.codingPath + [CodingKeys.address]))
    }
}

/// Where a party can be paid or debited, per rail family.
public struct AccountDetails: Sendable, Hashable, Codable {
    /// IBAN, where the country issues them.
    public var iban: IBAN?
    /// A domestic account number (US, CN and HK use these instead of IBANs).
    public var accountNumber: String?
    /// The party's bank (the debtor or creditor agent).
    public var bic: BIC?
    /// Wallets on chains, for token rails.
    public var wallets: [Wallet]

    public init(iban: IBAN? = nil, accountNumber: String? = nil, bic: BIC? = nil, wallets: [Wallet] = []) {
        self.iban = iban
        self.accountNumber = accountNumber
        self.bic = bic
        self.wallets = wallets
    }

    /// The party's wallet on `chain`, if any.
    public func wallet(on chain: ChainID) -> Wallet? { wallets.first { $0.chain == chain } }
    /// Whether the details are enough for a bank transfer (an agent and an account).
    public var hasBankAccount: Bool { bic != nil && (iban != nil || accountNumber != nil) }

    private enum CodingKeys: String, CodingKey { case iban, accountNumber, bic, wallets }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iban = try container.decodeIfPresent(IBAN.self, forKey: .iban)
        accountNumber = try container.decodeIfPresent(String.self, forKey: .accountNumber)
        bic = try container.decodeIfPresent(BIC.self, forKey: .bic)
        wallets = try container.decodeIfPresent([Wallet].self, forKey: .wallets) ?? []
        if let accountNumber, accountNumber.isEmpty || accountNumber.count > 34 {
            throw ValidationError(
                field: CodingPath.format(decoder.codingPath + [CodingKeys.accountNumber]),
                value: accountNumber, rule: "account_number.length",
                message: "an account number has 1 to 34 characters (ISO 20022 Max34Text)")
        }
    }
}

/// A structured postal address (ISO 20022 / IVMS 101 style).
public struct PostalAddress: Sendable, Hashable, Codable {
    public var streetName: String?
    public var buildingNumber: String?
    public var postCode: String?
    public var townName: String
    public var countrySubDivision: String?
    public var country: CountryCode

    public init(streetName: String? = nil, buildingNumber: String? = nil, postCode: String? = nil,
                townName: String, countrySubDivision: String? = nil, country: CountryCode) {
        self.streetName = streetName
        self.buildingNumber = buildingNumber
        self.postCode = postCode
        self.townName = townName
        self.countrySubDivision = countrySubDivision
        self.country = country
    }
}

/// The payer (debtor) or payee (creditor) of a payment.
public struct Party: Sendable, Hashable, Codable {
    /// Legal name.
    public var name: String
    /// Country of residence (for a company, where it is established).
    public var country: CountryCode
    public var kind: PartyKind
    public var lei: LEI?
    public var address: PostalAddress?
    public var accounts: AccountDetails

    public init(name: String, country: CountryCode, kind: PartyKind = .institutional, lei: LEI? = nil,
                address: PostalAddress? = nil, accounts: AccountDetails = AccountDetails()) {
        self.name = name
        self.country = country
        self.kind = kind
        self.lei = lei
        self.address = address
        self.accounts = accounts
    }

    private enum CodingKeys: String, CodingKey { case name, country, kind, lei, address, accounts }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        if name.isBlank || name.count > 140 {
            throw ValidationError(
                field: CodingPath.format(decoder.codingPath + [CodingKeys.name]), value: name,
                rule: "party.name", message: "a name has 1 to 140 characters (ISO 20022 Max140Text)")
        }
        country = try container.decode(CountryCode.self, forKey: .country)
        kind = try container.decodeIfPresent(PartyKind.self, forKey: .kind) ?? .institutional
        lei = try container.decodeIfPresent(LEI.self, forKey: .lei)
        address = try container.decodeIfPresent(PostalAddress.self, forKey: .address)
        accounts = try container.decodeIfPresent(AccountDetails.self, forKey: .accounts) ?? AccountDetails()
    }
}

import Foundation
