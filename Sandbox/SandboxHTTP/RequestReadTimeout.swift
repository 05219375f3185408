import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request is not read in full within a time limit, counted from when
/// the connection opened or the previous response ended: a client dribbling its headers or its body
/// a byte at a time (never idle long enough for the idle timeout) cannot hold a connection open.
/// The time a handler takes to answer is not counted.
final class RequestReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?
    /// Of the exchange under way: whether its request was read to the end, and its response written
    /// to the end. A response may end before its request (a refusal written before an unread body
    /// is drained); the next request's limit starts only when both have.
    private var requestEnded = false
    private var responseEnded = false

    init(limit: TimeAmount) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is read in full: the handler's time to answer is its own.
        if case .end = unwrapInboundIn(data) {
            requestEnded = true
            deadline?.cancel()
            deadline = nil
            exchangeEnded(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responseEnded = true
            exchangeEnded(context)
        }
        context.write(data, promise: promise)
    }

    /// Once both the request and the response have ended, the next request has the limit from here.
    private func exchangeEnded(_ context: ChannelHandlerContext) {
        guard requestEnded, responseEnded else { return }
        requestEnded = false
        responseEnded = false
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: limit) { bound.value.close(promise: nil) }
    }
}
