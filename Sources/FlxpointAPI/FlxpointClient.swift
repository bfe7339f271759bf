// FlxpointAPI: the client of Flxpoint's Source API: rate limited, retried, reconciled, over HTTP or in process.
// `Endpoints/` has one file per resource; `Wire/` the request and response shapes.

import AsyncHTTPClient
import Foundation
import FulfillmentCore
import Logging
import NIOCore
import NIOHTTP1

/// Settings for a `FlxpointClient`.
public struct FlxpointClientConfiguration: Sendable {
    /// Why `url` may not carry the token, or nil when it may: `https`, or plain `http` to this
    /// machine only (the sandbox, a local proxy).
    public static func problem(withBaseURL url: String) -> String? {
        let shown = Quote.short(RedactedURL.redact(url))
        guard let parsed = HTTPURL(url) else { return "\(shown) is not an http(s) URL" }
        // The token goes in a header; a password in the URL would be logged with it.
        if parsed.hasCredentials {
            return "\(shown) holds a user name or password; give the Source token by token file or environment, "
                + "never in the URL"
        }
        if let port = parsed.badPort { return "\(shown) has port \(port); a port is from 1 to 65535" }
        if parsed.hasQuery {
            return "\(shown) has a query (?…); the API URL is the base address only, and the Source token goes "
                + "in a token file or the environment, never in the URL"
        }
        if parsed.scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(parsed.host) {
            return "\(shown) is plain http: the token would cross the network unencrypted; use https://"
        }
        return nil
    }

    public var baseURL: String
    public var token: FlxpointToken
    /// Client-side limit per token; Flxpoint allows 2.
    public var requestsPerSecond: Double
    /// Per request, from sending to the last byte of the answer.
    public var timeout: Duration
    public var retry: RetryPolicy

    public init(
        baseURL: String = "https://api.flxpoint.com", token: FlxpointToken, requestsPerSecond: Double = 2,
        timeout: Duration = .seconds(30), retry: RetryPolicy = RetryPolicy()
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.requestsPerSecond = requestsPerSecond
        self.timeout = timeout
        self.retry = retry
    }
}

/// The Flxpoint client: rate limited, retried, reconciled, over a transport (HTTP for the live
/// API, the sandbox's state in process for tests).
public struct FlxpointClient: FlxpointSourceAPI {
    let configuration: FlxpointClientConfiguration
    let transport: any FlxpointTransport
    /// The token's request budget, made by the caller (the composition root) and shared by
    /// every client of that token, so no global registry decides which clients share one.
    let limiter: RateLimiter
    let logger: Logger
    /// Called once per attempt with the endpoint and the status (nil for a transport failure).
    let observe: @Sendable (_ endpoint: String, _ status: Int?) -> Void
    /// Asked before every request is sent, with the longest it may take: throwing stops it
    /// unsent. The agent on a shared store starts a call only if it ends inside its lease.
    var gate: (@Sendable (_ lasting: Duration) throws -> Void)?
    /// Told before the client waits on purpose (its turn in the rate budget, a back-off), with
    /// how long: the agent's watchdog knows the call is waiting, not stuck.
    var waiting: (@Sendable (_ duration: Duration) -> Void)?

    /// A client over HTTP to `configuration.baseURL`.
    public init(
        configuration: FlxpointClientConfiguration, http: HTTPClient = HTTPTransport.noRedirects, logger: Logger,
        limiter: RateLimiter, observe: @escaping @Sendable (String, Int?) -> Void = { _, _ in }
    ) {
        self.init(
            configuration: configuration,
            transport: HTTPTransport(
                baseURL: configuration.baseURL, timeout: configuration.timeout, http: http, logger: logger),
            logger: logger, limiter: limiter, observe: observe)
    }

    /// A client over any transport.
    public init(
        configuration: FlxpointClientConfiguration, transport: any FlxpointTransport, logger: Logger,
        limiter: RateLimiter, observe: @escaping @Sendable (String, Int?) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.limiter = limiter
        self.observe = observe
    }

    /// The same client, asking `gate` before each request (after the rate limiter's wait, so the
    /// answer is about the moment the request leaves), and telling `waiting` how long it waits
    /// before one.
    public func gated(
        by gate: @escaping @Sendable (_ lasting: Duration) throws -> Void,
        waiting: (@Sendable (_ duration: Duration) -> Void)? = nil
    ) -> FlxpointClient {
        var client = self
        client.gate = gate
        client.waiting = waiting
        return client
    }

    /// One call as the endpoints describe it, before the token and headers are added.
    struct Request: Sendable {
        var method: HTTPMethod
        var path: String
        var query: [(String, String)] = []
        var body: Data?
        /// Low-cardinality name for logs and errors, e.g. `PATCH /fulfillment-requests/{id}/acknowledge`.
        var endpoint: String
    }

    typealias Response = WireResponse

    /// A response, or the word that a lost write had in fact happened.
    enum Performed: Sendable {
        case response(Response)
        case reconciled
    }

    /// Sends with rate limiting and retries. 429, 5xx, time-outs and dropped connections are
    /// retried; other statuses come back to the caller. For a write (`reconcile` given), a
    /// failure that may have reached Flxpoint is never simply repeated: `reconcile` reads
    /// the state back first and either ends the call or allows one more send.
    func perform(
        _ request: Request, reconcile: (@Sendable () async throws -> Reconciliation<Void>)? = nil
    ) async throws -> Performed {
        let policy = configuration.retry
        var lastProblem = ""
        var lastStatus: Int?
        for attempt in 1...policy.maxAttempts {
            try await limiter.acquire(waiting: waiting)
            try gate?(configuration.timeout)
            var ambiguous = false
            do {
                let response = try await send(request)
                observe(request.endpoint, response.status)
                switch response.status {
                case 200..<300:
                    await paceByPool(response)
                    return .response(response)
                case 429:
                    let wait =
                        RetryAfter.parse(response.header("Retry-After"))
                        ?? policy.delay(afterAttempt: attempt)
                    await limiter.pause(for: wait)
                    lastStatus = 429
                    lastProblem = "rate limited"
                    logger.warning(
                        "flxpoint rate limited",
                        metadata: ["api.endpoint": "\(request.endpoint)", "api.retry_in_ms": "\(wait.milliseconds)"])
                    continue
                case 500..<600:
                    lastStatus = response.status
                    lastProblem = configuration.token.scrub(response.text)
                    ambiguous = true
                default:
                    return .response(response)
                }
            } catch let error as TransportFailure {
                observe(request.endpoint, nil)
                lastStatus = nil
                lastProblem = configuration.token.scrub(error.detail)
                ambiguous = error.mayHaveArrived
            }
            logger.warning(
                "flxpoint call failed",
                metadata: [
                    "api.endpoint": "\(request.endpoint)", "api.attempt": "\(attempt)",
                    "api.problem": "\(lastStatus.map(String.init) ?? lastProblem)",
                ])
            if ambiguous, let reconcile {
                switch try await reconcile() {
                case .done: return .reconciled
                case .notDone: break
                }
            }
            if attempt < policy.maxAttempts {
                let delay = policy.delay(afterAttempt: attempt)
                waiting?(delay)
                try await Task.sleep(for: delay)
            }
        }
        switch lastStatus {
        case 429?: throw FlxpointError.rateLimited(endpoint: request.endpoint, attempts: policy.maxAttempts)
        case let status?:
            throw FlxpointError.server(
                endpoint: request.endpoint, status: status, body: lastProblem, attempts: policy.maxAttempts)
        case nil:
            throw FlxpointError.transport(endpoint: request.endpoint, detail: lastProblem, attempts: policy.maxAttempts)
        }
    }

    /// Flxpoint's pool headers (`X-Auth-Pool-Size`, `-Used`, `X-Auth-Replenished-Per-Second`),
    /// when present: a pool with less than one request left holds the next request back until
    /// one has refilled, so a budget spent by another client does not turn into 429s.
    func paceByPool(_ response: WireResponse) async {
        guard let size = response.header("X-Auth-Pool-Size").flatMap(Double.init),
            let used = response.header("X-Auth-Pool-Used").flatMap(Double.init),
            let rate = response.header("X-Auth-Replenished-Per-Second").flatMap(Double.init), rate > 0
        else { return }
        let left = size - used
        guard left < 1 else { return }
        let wait = Duration.seconds(min(60, (1 - left) / rate))
        await limiter.pause(for: wait)
        logger.debug("flxpoint request pool empty; pacing", metadata: ["api.retry_in_ms": "\(wait.milliseconds)"])
    }

    private func send(_ request: Request) async throws -> Response {
        var headers = [("X-API-TOKEN", configuration.token.secret), ("Accept", "application/json")]
        if request.body != nil { headers.append(("Content-Type", "application/json")) }
        return try await transport.send(
            WireRequest(
                method: request.method.rawValue, path: request.path, query: request.query, headers: headers,
                body: request.body))
    }

    func decode<T: Decodable>(_ type: T.Type, from response: Response, endpoint: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw FlxpointError.decoding(endpoint: endpoint, detail: FRListDecoder.reason(error))
        }
    }

    /// Maps a non-2xx response to the error an operator should see.
    func failure(_ response: Response, endpoint: String) -> FlxpointError {
        let body = configuration.token.scrub(response.text)
        switch response.status {
        case 401: return .unauthorized(endpoint: endpoint)
        case 403: return .forbidden(endpoint: endpoint, body: body)
        case 404: return .notFound(endpoint: endpoint)
        default: return .rejected(endpoint: endpoint, status: response.status, body: body)
        }
    }
}

extension Duration {
    /// Whole milliseconds, for log lines and settings that take them.
    public var milliseconds: Int64 { Int64(timeInterval * 1000) }
    var nanoseconds: Int64 { Int64(timeInterval * 1_000_000_000) }
}
