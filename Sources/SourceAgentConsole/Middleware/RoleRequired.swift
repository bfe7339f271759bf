import HTTPTypes
import Hummingbird

/// The routes of one role and above (operators act, admins change the rules). The server
/// checks, whatever the page showed. hummingbird-auth's `AuthorizationPolicyMiddleware`
/// answers every refusal with one fixed error; this one says which role was needed and which
/// the person has, on the console's own page.
struct RoleRequired: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let role: ConsoleRole
    /// The refusal page: status and message.
    let refuse: @Sendable (HTTPResponse.Status, String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if context.person.may(role) { return try await next(request, context) }
        let has = context.person.role?.rawValue ?? "none"
        return refuse(
            .forbidden, "Refused: this needs the \(role.rawValue) role, and you are signed in as a \(has).")
    }
}
