import FulfillmentCore

/// What went wrong talking to Flxpoint, in words an operator can act on. Never holds the token.
public enum FlxpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the token is missing, wrong or expired.
    case unauthorized(endpoint: String)
    /// 403: the token is valid but may not do this (often not a Source token).
    case forbidden(endpoint: String, body: String)
    /// 404.
    case notFound(endpoint: String)
    /// 429 after every retry.
    case rateLimited(endpoint: String, attempts: Int)
    /// 5xx after every retry.
    case server(endpoint: String, status: Int, body: String, attempts: Int)
    /// Another 4xx: Flxpoint refused the request for good.
    case rejected(endpoint: String, status: Int, body: String)
    /// No usable answer: connection refused or reset, time-out.
    case transport(endpoint: String, detail: String, attempts: Int)
    /// An answer we could not read.
    case decoding(endpoint: String, detail: String)
    /// A malformed FR in an answer, with its id and the JSON path of the problem.
    case malformedFR(FRDecodeFailure)
    /// After an ambiguous failure, reading back showed a state that is neither "done" nor "not done".
    case conflict(endpoint: String, detail: String)

    public var description: String {
        switch self {
        case .unauthorized(let endpoint):
            return "\(endpoint): 401 unauthorized — check the token; the agent needs a Source token "
                + "(not an Account or Channel token): FLXPOINT_SOURCE_TOKEN, --token-file, or the source's "
                + "token_file / token_env in the config file"
        case .forbidden(let endpoint, let body):
            return "\(endpoint): 403 forbidden — this token may not do that; a Source token is needed (\(body))"
        case .notFound(let endpoint):
            return "\(endpoint): 404 not found"
        case .rateLimited(let endpoint, let attempts):
            return "\(endpoint): still rate limited (429) after \(attempts) attempts; lower --max-rps"
        case .server(let endpoint, let status, let body, let attempts):
            return "\(endpoint): Flxpoint answered \(status) after \(attempts) attempts: \(body)"
        case .rejected(let endpoint, let status, let body):
            return "\(endpoint): Flxpoint refused the request (\(status)): \(body)"
        case .transport(let endpoint, let detail, let attempts):
            return "\(endpoint): no answer after \(attempts) attempts: \(detail)"
        case .decoding(let endpoint, let detail):
            return "\(endpoint): unreadable answer: \(detail)"
        case .malformedFR(let failure):
            return "malformed \(failure.description)"
        case .conflict(let endpoint, let detail):
            return "\(endpoint): \(detail)"
        }
    }

    /// Whether Flxpoint refused this one request (another 4xx). A 401 or 403 is not such a
    /// refusal: it says the token cannot be used at all, see `isAuthFailure`.
    public var isPermanentRefusal: Bool {
        switch self {
        case .rejected, .notFound, .conflict: return true
        default: return false
        }
    }

    /// 401 or 403: nothing can be sent until a person fixes the token (or the proxy in front).
    public var isAuthFailure: Bool {
        switch self {
        case .unauthorized, .forbidden: return true
        default: return false
        }
    }
}
