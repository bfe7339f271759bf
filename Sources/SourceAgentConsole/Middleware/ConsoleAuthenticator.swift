import Foundation
import Hummingbird
import HummingbirdAuth

/// Finds who is behind each request (basic auth, the session cookie or anyone, as the
/// console's login says) and the CSRF token their forms carry; every route sees the result
/// in its context. It lets everyone through: `SignInRequired` and `RoleRequired` decide.
struct ConsoleAuthenticator: AuthenticatorMiddleware {
    typealias Context = ConsoleRequestContext

    let access: ConsoleAccess
    let clock: @Sendable () -> Date

    func authenticate(request: Request, context: Context) async throws -> ConsoleAccess.Person? {
        try await identify(request).person.nilIfRefused
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let identified = try await identify(request)
        var context = context
        context.identity = identified.person.nilIfRefused
        context.csrfToken = identified.csrf
        return try await next(request, context)
    }

    private func identify(_ request: Request) async throws -> ConsoleAccess.Identified {
        await access.identify(
            authorization: request.headers[.authorization],
            session: request.cookies[ConsoleSessions.cookieName]?.value, now: clock())
    }
}

extension ConsoleAccess.Person {
    /// nil for someone not let in: what an `AuthRequestContext`'s identity holds.
    var nilIfRefused: Self? { self == .refused ? nil : self }
}
