import Foundation
import Hummingbird
import RailKit
import SwitchyardAPI

extension SwitchyardAPIServer {
    struct RailList: Encodable {
        var data: [RailListing]
    }

    struct NotificationAnswer: Encodable {
        /// Whether the notification named a payment of ours (one that did not is acknowledged and ignored).
        var matched: Bool
        var paymentId: String?
        var state: String?
    }

    func addRailRoutes(to router: Router<APIRequestContext>) {
        router.get("/v1/rails") { _, _ in try Self.json(RailList(data: engine.rails.map(RailListing.init))) }

        // A counterpart's signed status callback, handed to its rail to authenticate and read,
        // then recorded on the payment it names as a poll's answer would be.
        router.post("/v1/rails/{rail}/notifications") { request, context in
            let name = try context.parameters.require("rail")
            guard let railID = try? RailID(name), let rail = engine.rails.first(where: { $0.id == railID }),
                  let receiver = rail.adapter as? any RailNotificationReceiver else {
                throw ProblemDetails(.notFound, detail: "No configured rail \(name) takes notifications.")
            }
            let body = try await request.body.collect(upTo: Self.maxNotificationBody)
            var headers = [String: String]()
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status: RailPaymentStatus
            do {
                // The wall clock, not the router's: a signature is as fresh as the real time the bank signed it.
                status = try await receiver.acceptNotification(body: Data(buffer: body), headers: headers, at: Date())
            } catch let error as RailError {
                context.logger.warning("notification refused", metadata: ["rail": .string(name), "error": .string(String(describing: error))])
                throw ProblemDetails(.rejectedNotification, detail: "The notification was not accepted by rail \(name).")
            }
            let payment = try await executor.recordNotification(status, railID: railID)
            return try Self.json(NotificationAnswer(matched: payment != nil, paymentId: payment?.id, state: payment?.state.rawValue))
        }
    }
}
