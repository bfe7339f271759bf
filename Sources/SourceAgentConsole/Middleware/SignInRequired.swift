import Foundation
import HTTPTypes
import Hummingbird

/// The pages and forms of people let in: anyone else is sent to the sign-in form (with a
/// users file, coming back to the page asked for) or given the browser's basic-auth prompt.
struct SignInRequired: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let access: ConsoleAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if context.identity != nil { return try await next(request, context) }
        guard case .users = access.login else { return ConsoleResponses.loginRequired() }
        var wanted = request.uri.path
        if let query = request.uri.query, !query.isEmpty { wanted += "?" + query }
        let target = wanted.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        return ConsoleResponses.redirect(to: "/login?next=\(target)")
    }
}
