import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts JSON to an operator's webhook (alerts). Not rate limited and never sent the
/// Flxpoint token. It prints with its URL redacted (the service group's debug lines print
/// the services they run): a webhook's path and query are secrets.
public struct WebhookClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let url: String
    let http: HTTPClient

    public init(url: String, http: HTTPClient = .shared) {
        self.url = url
        self.http = http
    }

    public var description: String { "WebhookClient(url: \(RedactedURL.redactWebhook(url)))" }
    public var debugDescription: String { description }

    public func post(_ body: Data) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
