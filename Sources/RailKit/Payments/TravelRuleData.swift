/// Originator and beneficiary information that travels with a virtual-asset transfer
/// (FATF Recommendation 16), shaped after IVMS 101.
public struct TravelRuleData: Sendable, Hashable, Codable {
    public var originator: TravelRuleParty
    public var beneficiary: TravelRuleParty

    public init(originator: TravelRuleParty, beneficiary: TravelRuleParty) {
        self.originator = originator
        self.beneficiary = beneficiary
    }

    /// Fields R.16 requires that are missing, as dotted paths (empty when complete).
    ///
    /// Originator: name, account number, and one of address, national identifier, customer
    /// identification, LEI or date and place of birth. Beneficiary: name and account number.
    public var missingFields: [String] {
        var missing = [String]()
        if originator.name.isBlank { missing.append("travelRule.originator.name") }
        if originator.accountNumber.isBlank { missing.append("travelRule.originator.accountNumber") }
        if originator.geographicAddress == nil, originator.nationalIdentifier.isBlank,
           originator.customerIdentification.isBlank, originator.lei == nil, originator.dateAndPlaceOfBirth.isBlank {
            missing.append("travelRule.originator.(geographicAddress|nationalIdentifier|customerIdentification|lei|dateAndPlaceOfBirth)")
        }
        if beneficiary.name.isBlank { missing.append("travelRule.beneficiary.name") }
        if beneficiary.accountNumber.isBlank { missing.append("travelRule.beneficiary.accountNumber") }
        return missing
    }
}

/// One side of the travel-rule record (IVMS 101 natural or legal person, flattened).
public struct TravelRuleParty: Sendable, Hashable, Codable {
    public var name: String?
    /// Account or wallet address used for the transfer.
    public var accountNumber: String?
    public var geographicAddress: PostalAddress?
    public var nationalIdentifier: String?
    public var customerIdentification: String?
    public var lei: LEI?
    public var dateAndPlaceOfBirth: String?

    public init(name: String? = nil, accountNumber: String? = nil, geographicAddress: PostalAddress? = nil,
                nationalIdentifier: String? = nil, customerIdentification: String? = nil, lei: LEI? = nil,
                dateAndPlaceOfBirth: String? = nil) {
        self.name = name
        self.accountNumber = accountNumber
        self.geographicAddress = geographicAddress
        self.nationalIdentifier = nationalIdentifier
        self.customerIdentification = customerIdentification
        self.lei = lei
        self.dateAndPlaceOfBirth = dateAndPlaceOfBirth
    }
}

extension Optional where Wrapped == String {
    fileprivate var isBlank: Bool {
        guard let text = self else { return true }
        // Any visible ASCII character means something is there, without Foundation's trimming.
        if text.utf8.contains(where: { (0x21...0x7E).contains($0) }) { return false }
        return text.isBlank
    }
}

import Foundation
