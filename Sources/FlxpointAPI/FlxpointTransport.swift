import Foundation

/// How a request reaches Flxpoint: HTTP for the live API (`HTTPTransport`), the sandbox's state
/// in the same process for tests (`SandboxTransport`). `FlxpointClient` does everything above
/// it (rate limit, retries, reconciling lost writes, decoding) the same way over either.
public protocol FlxpointTransport: Sendable {
    /// Sends one request and returns Flxpoint's answer, whatever its status. Throws
    /// `TransportFailure` when no answer came back.
    func send(_ request: WireRequest) async throws -> WireResponse
}

/// One request as it goes on the wire: method, path below the API's base URL, query, headers
/// (the token among them) and body.
public struct WireRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: Data?

    /// The value of the first header called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// One answer: status, headers and body.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The start of the body, for error messages.
    var text: String { String(decoding: body.prefix(500), as: UTF8.self) }
}

/// A failure below HTTP, and whether the request may have reached Flxpoint (a write that may
/// have arrived is read back before it is sent again).
public struct TransportFailure: Error {
    public var detail: String
    public var mayHaveArrived: Bool

    public init(detail: String, mayHaveArrived: Bool) {
        self.detail = detail
        self.mayHaveArrived = mayHaveArrived
    }
}
