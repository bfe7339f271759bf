import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every state-changing request, checked in one place before its route runs: it must come
/// from a page of this console (its `Origin`, or else its `Referer`, names this console's host)
/// and carry the CSRF token of the person's session in its `csrf` field, compared in constant
/// time. Another site can make a browser post to the console, but cannot read a console page
/// to learn the token. The body is read here once (within `ConsoleForms`' limits) and handed on.
struct CSRFGuard: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let logger: Logger
    let refuse: @Sendable (HTTPResponse.Status, String) -> Response

    /// The field every form carries.
    private struct Token: Decodable {
        let csrf: String?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        guard Self.sameOrigin(request) else {
            logger.warning(
                "console form refused: sent from another site",
                metadata: ["path": "\(request.uri.path)", "origin": "\(Self.origin(request) ?? "")"])
            return refuse(.forbidden, "This form did not come from the console.")
        }
        var request = request
        let given = try? await ConsoleForms.decode(Token.self, from: &request).csrf
        guard let given, !context.csrfToken.isEmpty, ConsoleAccess.equalInConstantTime(given, context.csrfToken)
        else {
            logger.warning(
                "console form refused: missing or wrong CSRF token", metadata: ["path": "\(request.uri.path)"])
            return refuse(.forbidden, "This form is out of date or did not come from the console.")
        }
        return try await next(request, context)
    }

    /// Where the request says it came from: its `Origin`, else its `Referer`.
    static func origin(_ request: Request) -> String? {
        request.headers[.origin] ?? request.headers[.referer]
    }

    /// Whether the page that sent the request is this console's: the host (and port) of its
    /// `Origin` or `Referer` is the one the request was sent to (`X-Forwarded-Host` behind a
    /// proxy). Without either header (a script, `curl`) the token alone decides; `Origin: null`
    /// (a sandboxed frame, a redirect from elsewhere) is refused.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = origin(request) else { return true }
        guard let from = URLComponents(string: origin), let host = from.host, !host.isEmpty else { return false }
        let authority = from.port.map { "\(host):\($0)" } ?? host
        let forwarded = request.headers[HTTPField.Name("X-Forwarded-Host")!]
        // HTTP/1's `Host` arrives as the request's authority; a client that sends it as a field is read too.
        let hostField = request.headers[HTTPField.Name("Host")!]
        let targets = [request.head.authority, hostField, forwarded].compactMap { $0?.lowercased() }
        return targets.contains(authority.lowercased())
    }
}
