import Foundation
import Hummingbird
import Logging
import NIOCore

/// The sandbox HTTP server on loopback.
public struct SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    public let state: SandboxState
    let logger: Logger

    public init(configuration: SandboxConfiguration, state: SandboxState, logger: Logger) {
        self.configuration = configuration
        self.state = state
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM, for the `sandbox` command.
    public func runUntilSignalled(port: Int, onStart: @escaping @Sendable (String) async -> Void) async throws {
        try await application(port: port, onStart: onStart).runService()
    }

    private func application(port: Int, onStart: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol
    {
        let router = SandboxRouter(configuration: configuration, state: state)
        let responder = CallbackResponder { (request: Request, _: BasicRequestContext) in await router.handle(request) }
        return Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                await onStart("http://127.0.0.1:\(channel.localAddress?.port ?? port)")
            }, logger: logger)
    }

    /// Runs the server for the duration of `body`, which gets the base URL, then stops it
    /// gracefully.
    public func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let app = application(port: 0) { url in continuation.yield(url) }
        return try await withGracefulShutdown(of: app, logger: logger) {
            var iterator = urls.makeAsyncIterator()
            guard let url = await iterator.next() else { throw CancellationError() }
            return try await body(url)
        }
    }
}
