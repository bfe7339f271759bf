import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The live transport: AsyncHTTPClient to the API's base URL, never following a redirect.
public struct HTTPTransport: FlxpointTransport {
    let baseURL: String
    let timeout: Duration
    let http: HTTPClient
    let logger: Logger

    public init(baseURL: String, timeout: Duration, http: HTTPClient = HTTPTransport.noRedirects, logger: Logger) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.http = http
        self.logger = logger
    }

    /// The HTTP client for Flxpoint: it never follows a redirect. A followed 301 turns a POST
    /// into a GET that looks like success, and carries the token to wherever it points.
    public static let noRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    public func send(_ request: WireRequest) async throws -> WireResponse {
        var url = baseURL + request.path
        if !request.query.isEmpty {
            var components = URLComponents()
            components.queryItems = request.query.map { URLQueryItem(name: $0.0, value: $0.1) }
            url += "?" + (components.percentEncodedQuery ?? "")
        }
        var http = HTTPClientRequest(url: url)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.nanoseconds))
        do {
            let response = try await self.http.execute(http, deadline: deadline, logger: logger)
            let body = try await response.body.collect(upTo: 32 * 1024 * 1024)
            return WireResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Data(body.readableBytesView))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw TransportFailure(detail: Self.describe(error), mayHaveArrived: !Self.isConnectFailure(error))
        }
    }

    /// Errors raised before a request could be written, which make a repeat safe.
    static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return error == .connectTimeout || error == .getConnectionFromPoolTimeout || error == .invalidURL
        }
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused")
            || text.contains("NIOConnectionError")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out waiting for an answer"
            case .remoteConnectionClosed: return "the connection was closed before the answer arrived"
            case .connectTimeout: return "could not connect (time-out)"
            default:
                // invalidHeaderFieldValues/Names quote the offending headers: say what, never the value.
                let text = "\(error)"
                return text.contains("invalidHeaderField")
                    ? "a request header holds a character HTTP does not allow" : text
            }
        }
        if isConnectFailure(error) { return "could not connect (connection refused)" }
        return "\(error)"
    }
}
