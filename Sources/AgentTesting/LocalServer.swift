import FlxpointSandbox
import Foundation
import Hummingbird
import Logging

/// Runs a Hummingbird responder on a free loopback port for the duration of `body`, which
/// gets the base URL. Shared by the test servers (webhook receiver, fixed replies).
enum LocalServer {
    static func withRunning<Responder: HTTPResponder, T: Sendable>(
        _ responder: Responder, label: String, _ body: @Sendable (String) async throws -> T
    ) async throws -> T where Responder.Context == BasicRequestContext {
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") },
            logger: logger)
        return try await withGracefulShutdown(of: app, logger: logger) {
            var iterator = urls.makeAsyncIterator()
            guard let url = await iterator.next() else { throw CancellationError() }
            return try await body(url)
        }
    }
}
