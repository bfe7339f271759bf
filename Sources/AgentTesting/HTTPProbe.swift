import AsyncHTTPClient
import Foundation
import NIOCore

/// Plain requests for checking endpoints such as `/healthz` and `/metrics`, and for driving the
/// sandbox's control plane, from tests.
public enum HTTPProbe {
    /// The status and body, or nil when nothing answered within two seconds.
    public static func get(_ url: String) async -> (status: Int, body: String)? {
        await send(HTTPClientRequest(url: url), timeout: .seconds(2))
    }

    /// Sends a JSON body (POST unless `method` says PUT or PATCH; with `X-API-TOKEN` when a
    /// token is given); the status and body, or nil when nothing answered.
    public static func post(_ url: String, json: Data = Data(), token: String? = nil, method: String = "POST") async
        -> (status: Int, body: String)?
    {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "X-API-TOKEN", value: token) }
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: json))
        return await send(request, timeout: .seconds(10))
    }

    /// A client that returns a redirect as it is (with its `Set-Cookie`), as a test of a
    /// sign-in must see it. Lives as long as the test process.
    private static let unredirected = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// Any request, with its headers and body, redirects not followed; the status, headers and body, or nil when nothing answered.
    public static func request(
        _ url: String, method: String = "GET", headers: [(String, String)] = [], body: String? = nil
    ) async -> (status: Int, headers: [(String, String)], body: String)? {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        guard let response = try? await unredirected.execute(request, timeout: .seconds(10)),
            let received = try? await response.body.collect(upTo: 64 << 20)
        else { return nil }
        return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, String(buffer: received))
    }

    private static func send(_ request: HTTPClientRequest, timeout: TimeAmount) async -> (status: Int, body: String)? {
        guard let response = try? await HTTPClient.shared.execute(request, timeout: timeout),
            let body = try? await response.body.collect(upTo: 64 << 20)
        else { return nil }
        return (Int(response.status.code), String(buffer: body))
    }
}
