import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird

/// Signing in and out with a users file, and the audit log's page.
extension ConsoleServer {
    /// The audit entries shown per page.
    static let auditPerPage = 100

    func addSignIn(_ group: RouterGroup<ConsoleRequestContext>) {
        group.get("login") { request, context in
            let next = Self.safeNext(request.uri.queryParameters.get("next"))
            return loginPage(.ok, context, next: next, message: nil)
        }
        group.post("login") { request, context in try await signIn(request, context) }
        group.post("logout") { request, context in
            if let token = request.cookies[ConsoleSessions.cookieName]?.value { await access.sessions.close(token) }
            if case .named(let name, _) = context.person {
                try await record(name, "sign-out", source: "-", "signed out")
            }
            var response = ConsoleResponses.redirect(to: "/login")
            response.setCookie(Self.sessionCookie("", secure: false, maxAge: 0))
            return response
        }
    }

    /// The session cookie: only this console's pages send it, never a script, never another
    /// site's request; `Secure` behind a TLS proxy.
    static func sessionCookie(_ token: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: ConsoleSessions.cookieName, value: token, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// Checks a sign-in: throttled per name (and overall), the password against its hash on
    /// the password threads; a session cookie on success. Failures are logged, never with the
    /// password.
    private func signIn(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard case .users(let users) = access.login else {
            return refusal(.notFound, "This console has no sign-in: see console_users_file.")
        }
        var request = request
        guard let form = try? await ConsoleForms.decode(SignInForm.self, from: &request) else {
            return loginPage(.badRequest, context, next: "/", message: "The form could not be read: sign in again.")
        }
        let next = Self.safeNext(form.next)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let now = view.clock()
        if let wait = await access.sessions.wait(for: name, now: now) {
            logger.warning("console sign-in throttled", metadata: ["console.name": "\(name)"])
            return loginPage(
                .tooManyRequests, context, next: next,
                message: "Too many failed sign-ins: try again in \(HumanTime.span(wait.rounded(.up))).")
        }
        let password = form.password ?? ""
        let user: ConsoleUsers.User?
        do {
            user = try await passwordChecks.run { users.check(name: name, password: password) }
        } catch {
            logger.warning("console sign-in refused: too many at once", metadata: ["console.name": "\(name)"])
            return loginPage(
                .serviceUnavailable, context, next: next, message: "Too many sign-ins at once: try again in a moment.")
        }
        guard let user else {
            await access.sessions.failed(name, now: now)
            logger.warning("console sign-in failed", metadata: ["console.name": "\(name)"])
            return loginPage(.unauthorized, context, next: next, message: "Wrong name or password.")
        }
        let token = await access.sessions.open(user, now: now)
        try await record(user.name, "sign-in", source: "-", "signed in as \(user.role.rawValue)")
        // Behind a TLS proxy the browser must never send the session over plain HTTP.
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        var response = ConsoleResponses.redirect(to: next)
        response.setCookie(Self.sessionCookie(token, secure: secure))
        return response
    }

    /// The sign-in form: where to go after, and why the last try failed.
    struct LoginPage: Sendable {
        var next: String
        var message: String?
    }

    private func loginPage(
        _ status: HTTPResponse.Status, _ request: ConsoleRequestContext, next: String, message: String?
    ) -> Response {
        var frame = view.frame(title: "Sign in", person: .refused, source: view.source(nil))
        frame.csrf = request.csrfToken
        frame.hideNav = true
        return ConsoleResponses.html(status, Shown(.login, frame, LoginPage(next: next, message: message)).html)
    }

    /// Where to go after signing in: a path of this console only, never another site.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\") else { return "/" }
        return value
    }

    /// The audit log, newest first, a page at a time.
    struct AuditPage: Sendable {
        var entries: [Entry]
        var older: Int64?

        /// One action.
        struct Entry: Sendable {
            var at: String
            var actor: String
            var action: String
            var source: String
            var detail: String
        }
    }

    func addAudit(_ group: RouterGroup<ConsoleRequestContext>) {
        group.get("audit") { request, context in
            let query = Self.query(request)
            return try await page(request, context) { person, source in
                let before = query["before"].flatMap(Int64.init)
                let entries = try await view.sources[0].database.auditLog(beforeId: before, limit: Self.auditPerPage)
                let zone = await source.rules.current.calendar.timeZone
                let page = AuditPage(
                    entries: entries.map { entry in
                        AuditPage.Entry(
                            at: ConsoleView.localTime(entry.at, zone: zone), actor: entry.actor, action: entry.action,
                            source: entry.sourceName, detail: entry.detail)
                    },
                    older: entries.count == Self.auditPerPage ? entries.last?.id : nil)
                return Shown(.audit, view.frame(title: "Audit log", person: person, source: source), page)
            }
        }
    }
}
