import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A local HTTP server that answers every request the same way and records what it got:
/// for checking how a client treats a redirect, an odd status or a slow peer.
public final class FixedReplyServer: Sendable {
    /// One request the server received.
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
        return try await LocalServer.withRunning(responder, label: "fixed-reply", body)
    }
}
