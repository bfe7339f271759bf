import Hummingbird
import HummingbirdAuth

/// What the console knows of a request once its middleware ran: who is asking (the identity
/// of hummingbird-auth's `AuthRequestContext`, nil for someone not let in) and the CSRF token
/// their forms carry.
struct ConsoleRequestContext: AuthRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: ConsoleAccess.Person?
    /// The token this person's forms carry and their POSTs must send back.
    var csrfToken = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The person, or `.refused` for someone not let in (the sign-in page's header).
    var person: ConsoleAccess.Person { identity ?? .refused }
}
