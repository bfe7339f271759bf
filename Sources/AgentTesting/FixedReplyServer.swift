import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local HTTP server that answers every request the same way and records what it got:
/// for checking how a client treats a redirect, an odd status or a slow peer.
public final class FixedReplyServer: Sendable {
    public struct Received: Sendable, Equatable {
        public var method: String
        public var path: String
        public var hadToken: Bool
    }

    private let status: Int
    private let headers: [(String, String)]
    private let log = Mutex<[Received]>([])

    public init(status: Int, headers: [(String, String)] = []) {
        self.status = status
        self.headers = headers
    }

    public var received: [Received] { log.withLock { $0 } }

    public func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let responder = CallbackResponder { (request: Request, _: BasicRequestContext) -> Response in
            let token = request.headers[HTTPField.Name("X-API-TOKEN")!] != nil
            self.log.withLock {
                $0.append(Received(method: request.method.rawValue, path: request.uri.path, hadToken: token))
            }
            var fields = HTTPFields()
            for (name, value) in self.headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: self.status), headers: fields, body: .init(byteBuffer: ByteBuffer()))
        }
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: "fixed-reply")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") },
            logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = urls.makeAsyncIterator()
            guard let url = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body(url)
        }
    }
}
