import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local HTTP endpoint that records what is posted to it, for testing alert webhooks. It
/// can answer the first requests with 500 to show retries.
public final class WebhookReceiver: Sendable {
    private let received = Mutex<[Data]>([])
    private let failuresLeft: Mutex<Int>

    public init(failFirst: Int = 0) { failuresLeft = Mutex(failFirst) }

    /// Bodies accepted (2xx), oldest first.
    public var bodies: [Data] { received.withLock { $0 } }

    /// The accepted bodies as JSON objects.
    public var events: [[String: Any]] {
        bodies.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// Serves on a free loopback port for the duration of `body`, which gets the URL to post to.
    public func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let data = Data((try await request.body.collect(upTo: 1 << 20)).readableBytesView)
            let fail = self.failuresLeft.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if fail { return Response(status: .internalServerError) }
            self.received.withLock { $0.append(data) }
            return Response(status: .noContent)
        }
        return try await LocalServer.withRunning(router.buildResponder(), label: "webhook") { url in
            try await body(url + "/hook")
        }
    }
}
