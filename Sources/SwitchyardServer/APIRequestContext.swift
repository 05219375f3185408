import Hummingbird
import SwitchyardExecutor

/// Each request's context: Hummingbird's core storage, and the API key that authenticated it.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``APIKeyMiddleware`` once the request's key is verified.
    public var apiKey: StoredAPIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Request bodies are read with an explicit limit per route; this is the ceiling.
    public var maxUploadSize: Int { 1 << 20 }
}

extension RequestContext {
    /// The id Hummingbird gives each request and puts in its log lines (empty when the logger
    /// keeps no metadata, as a no-op logger does; Hummingbird's own `id` would trap then).
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "" }
}
