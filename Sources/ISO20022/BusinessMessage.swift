import Foundation
import RailKit
import RailKitSupport

/// The Business Application Header (head.001.001.02) CBPR+ puts in front of every message.
public struct BusinessApplicationHeader: Sendable, Hashable {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:head.001.001.02"
    /// The envelope that carries the header and the document together over an API.
    public static let envelopeNamespace = "urn:swift:xsd:envelope"

    public var from: BIC
    public var to: BIC
    public var businessMessageID: String
    public var messageType: MessageType
    public var createdAt: Date
    /// ``cbprPlus`` for CBPR+.
    public var businessService: String

    /// The CBPR+ business service since Standards Release 2025 (November 2025), which replaced
    /// `swift.cbprplus.02`. SWIFT's usage guidelines are behind its login: this is the value
    /// public SR2025 implementations and validators use, to confirm with each correspondent.
    public static let cbprPlus = "swift.cbprplus.03"

    public init(from: BIC, to: BIC, businessMessageID: String, messageType: MessageType, createdAt: Date,
                businessService: String = Self.cbprPlus) {
        self.from = from
        self.to = to
        self.businessMessageID = businessMessageID
        self.messageType = messageType
        self.createdAt = createdAt
        self.businessService = businessService
    }

    public func element(timeZone: TimeZone) -> MessageElement {
        func party(_ name: String, _ bic: BIC) -> MessageElement {
            MessageElement(name, [MessageElement("FIId", [MessageElement("FinInstnId", [MessageElement("BICFI", bic.code)])])])
        }
        return MessageElement("AppHdr", attributes: [.init("xmlns", Self.namespace)], [
            party("Fr", from), party("To", to),
            MessageElement("BizMsgIdr", businessMessageID),
            MessageElement("MsgDefIdr", messageType.rawValue),
            MessageElement("BizSvc", businessService),
            MessageElement("CreDt", ISODateTime.format(createdAt, in: timeZone)),
        ])
    }

    /// `<Envelope><AppHdr/><Document/></Envelope>`: a document with this header in front.
    public func wrap(_ document: MessageElement, timeZone: TimeZone) -> MessageElement {
        MessageElement("Envelope", attributes: [.init("xmlns", Self.envelopeNamespace)], [element(timeZone: timeZone), document])
    }
}

extension ParsedDocument {
    /// The ISO `Document` of a bare document or of an enveloped one (header + document).
    public func unwrappingEnvelope() throws(ISO20022Error) -> ParsedDocument {
        guard root.name == "Envelope" else { return self }
        guard let document = root.child("Document") else { throw .missing(path: "Envelope/Document") }
        return ParsedDocument(root: document, namespace: childNamespaces["Document"], childNamespaces: [:])
    }

    /// The document as standalone XML, its namespace declared on the root (the reader reports
    /// namespaces apart from attributes), e.g. to validate the `Document` of an envelope on its own.
    public func standaloneXML() -> Data {
        var root = self.root
        if let namespace { root.attributes = [.init("xmlns", namespace)] + root.attributes.filter { $0.name != "xmlns" } }
        return Data(root.document().utf8)
    }

    /// Which ISO message this is, from its namespace.
    public var messageType: MessageType? { namespace.flatMap(MessageType.init(namespace:)) }
}

/// What a correspondent bank sends back about a payment: a status report or a return.
public enum InboundMessage: Sendable, Hashable {
    case statusReport(PaymentStatusReport)
    case paymentReturn(PaymentReturn)

    /// Reads a pacs.002 or pacs.004, bare or in an envelope with a header.
    public init(parsing data: Data) throws(ISO20022Error) {
        let document = try MessageReader.parse(data).unwrappingEnvelope()
        switch document.messageType {
        case .pacs002: self = .statusReport(try PaymentStatusReport(parsing: document))
        case .pacs004: self = .paymentReturn(try PaymentReturn(parsing: document))
        default:
            throw .malformed("expected pacs.002.001.10 or pacs.004.001.09, found namespace \(document.namespace ?? "none")")
        }
    }
}
