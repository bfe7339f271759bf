import FlxpointAPI
import Foundation

/// The sandbox without HTTP: the same state, routing and faults as `SandboxServer`, called in
/// the same process. A `FlxpointClient` over its `transport` behaves as it would against the
/// server (rate limits, injected failures, dropped answers, read lag) with no socket, so the
/// cycle's tests run in milliseconds.
public struct InProcessSandbox: Sendable {
    public let configuration: SandboxConfiguration
    public let state: SandboxState
    let router: SandboxRouter

    public init(configuration: SandboxConfiguration, state: SandboxState) {
        self.configuration = configuration
        self.state = state
        router = SandboxRouter(configuration: configuration, state: state)
    }

    /// A transport for `FlxpointClient` that reaches this sandbox without HTTP.
    public var transport: SandboxTransport { SandboxTransport(router: router) }

    /// The control plane (`/_sandbox/…` on the server): e.g. `control("PUT", "faults", body:)`.
    public func control(_ method: String, _ path: String, body: Data = Data()) async -> (status: Int, body: String) {
        let reply = await router.controlPlane(method, path.split(separator: "/").map(String.init), body)
        return (reply.status, reply.body)
    }
}

/// `FlxpointTransport` into an `InProcessSandbox`. A dropped answer is a `TransportFailure`
/// that may have arrived, as a connection closed mid-answer is over HTTP.
public struct SandboxTransport: FlxpointTransport {
    let router: SandboxRouter

    public func send(_ request: WireRequest) async throws -> WireResponse {
        var query: [String: [String]] = [:]
        for (key, value) in request.query { query[key, default: []].append(value) }
        let (reply, drop) = await router.serve(
            method: request.method, path: request.path, query: query, token: request.header("X-API-TOKEN") ?? ""
        ) { request.body ?? Data() }
        if drop {
            throw TransportFailure(detail: "the connection was closed before the answer arrived", mayHaveArrived: true)
        }
        return WireResponse(
            status: reply.status, headers: [("Content-Type", "application/json")] + reply.headers,
            body: Data(reply.body.utf8))
    }
}
