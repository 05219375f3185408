import Foundation
import Hummingbird
import RailKit

/// An error answer in RFC 9457 form (`application/problem+json`): a stable `type` per kind of
/// problem, the HTTP status, a sentence for people, and for bad input each field with the rule
/// it broke.
public struct ProblemDetails: Error, Codable, Sendable, HTTPResponseError {
    /// One broken rule of the request.
    public struct FieldError: Codable, Sendable, Hashable {
        /// Where: a JSON path (`intent.amount.amount`), a header (`Idempotency-Key`) or a query parameter.
        public var field: String
        /// A stable, machine-readable name of the rule.
        public var rule: String
        public var message: String
    }

    /// A reason a rail or the policy refused, with its reason code.
    public struct Reason: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public var rail: String?
    }

    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String
    public var errors: [FieldError]?
    public var reasons: [Reason]?
    /// The payment the problem is about (an idempotency conflict names the payment the key already made).
    public var paymentId: String?

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, errors, reasons, paymentId
    }

    public init(_ kind: Kind, detail: String, errors: [FieldError]? = nil, reasons: [Reason]? = nil, paymentId: String? = nil) {
        type = "https://switchyard.dev/problems/" + kind.slug
        title = kind.title
        statusCode = kind.status.code
        self.detail = detail
        self.errors = errors
        self.reasons = reasons
        self.paymentId = paymentId
    }

    /// Bad input in one field.
    public static func invalid(_ field: String, rule: String, _ message: String) -> ProblemDetails {
        ProblemDetails(.invalidRequest, detail: "\(field): \(message)", errors: [FieldError(field: field, rule: rule, message: message)])
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"switchyard\"" }
        if !context.requestID.isEmpty { headers[ProblemMiddleware.requestID] = context.requestID }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(self))))
    }

    /// The kinds of problem, each with its status and a stable type.
    public enum Kind: String, Sendable {
        case invalidRequest, unauthorized, forbidden, notFound, methodNotAllowed, payloadTooLarge, unsupportedMediaType
        case idempotencyConflict, paymentInProgress, executionRefused, noRoute, quoteExpired, rejectedNotification
        case unavailable, internalError

        var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest: .badRequest
            case .unauthorized, .rejectedNotification: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .idempotencyConflict, .executionRefused, .noRoute, .quoteExpired: .unprocessableContent
            case .paymentInProgress: .conflict
            case .unavailable: .serviceUnavailable
            case .internalError: .internalServerError
            }
        }

        var slug: String {
            rawValue.reduce(into: "") { slug, character in
                if character.isUppercase { slug += "-" + character.lowercased() } else { slug.append(character) }
            }
        }

        var title: String {
            switch self {
            case .invalidRequest: "The request is invalid"
            case .unauthorized: "An API key is required"
            case .forbidden: "The API key's scope does not allow this"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .payloadTooLarge: "The request body is too large"
            case .unsupportedMediaType: "The request body must be JSON"
            case .idempotencyConflict: "The idempotency key was used for another request"
            case .paymentInProgress: "A request with this idempotency key is still being processed"
            case .executionRefused: "The payment was refused"
            case .noRoute: "No rail can carry this payment"
            case .quoteExpired: "The quote has expired"
            case .rejectedNotification: "The notification could not be authenticated"
            case .unavailable: "A dependency is unavailable"
            case .internalError: "Internal error"
            }
        }
    }
}
