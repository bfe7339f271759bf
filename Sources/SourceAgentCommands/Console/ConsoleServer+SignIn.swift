import AgentStore
import Foundation
import HTTPTypes
import Hummingbird

/// Signing in and out with a users file, and the audit log's page.
extension ConsoleServer {
    /// The audit entries shown per page.
    static let auditPerPage = 100

    func addSignIn(_ router: Router<BasicRequestContext>) {
        router.get("login") { request, _ in
            let next = Self.safeNext(request.uri.queryParameters.get("next"))
            return loginPage(.ok, next: next, message: nil)
        }
        router.post("login") { request, _ in try await signIn(request) }
        router.post("logout") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let form = ConsoleForm(String(buffer: body))
            guard access.csrfMatches(form["csrf"]) else {
                return result(.forbidden, kind: "refused", "This form is out of date or did not come from the console.")
            }
            let person = await person(request)
            if let token = ConsoleAccess.cookie(ConsoleSessions.cookieName, in: request.headers[values: .cookie]) {
                await access.sessions.close(token)
            }
            if case .named(let name, _) = person { try await record(name, "sign-out", source: "-", "signed out") }
            var headers = Self.securityHeaders
            headers[.location] = "/login"
            headers[.setCookie] = "\(ConsoleSessions.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// Checks a sign-in: throttled per name (and overall), the password against its hash; a
    /// session cookie on success. Failures are logged, never with the password.
    private func signIn(_ request: Request) async throws -> Response {
        guard case .users(let users) = access.login else {
            return result(.notFound, kind: "refused", "This console has no sign-in: see console_users_file.")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = ConsoleForm(String(buffer: body))
        let next = Self.safeNext(form["next"])
        guard access.csrfMatches(form["csrf"]) else {
            return loginPage(.forbidden, next: next, message: "This form is out of date: sign in again.")
        }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let now = AgentClock.now()
        if let wait = await access.sessions.wait(for: name, now: now) {
            logger.warning("console sign-in throttled", metadata: ["console.name": "\(name)"])
            return loginPage(
                .tooManyRequests, next: next,
                message: "Too many failed sign-ins: try again in \(Int(wait.rounded(.up))) seconds.")
        }
        guard let user = users.check(name: name, password: form["password"] ?? "") else {
            await access.sessions.failed(name, now: now)
            logger.warning("console sign-in failed", metadata: ["console.name": "\(name)"])
            return loginPage(.unauthorized, next: next, message: "Wrong name or password.")
        }
        let token = await access.sessions.open(user, now: now)
        try await record(user.name, "sign-in", source: "-", "signed in as \(user.role.rawValue)")
        var cookie = "\(ConsoleSessions.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        // Behind a TLS proxy the browser must never send the session over plain HTTP.
        if request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" { cookie += "; Secure" }
        var headers = Self.securityHeaders
        headers[.location] = next
        headers[.setCookie] = cookie
        return Response(status: .seeOther, headers: headers)
    }

    private func loginPage(_ status: HTTPResponse.Status, next: String, message: String?) -> Response {
        var context = view.base(title: "Sign in", person: .refused, source: view.source(nil))
        context["next"] = next
        context["hideNav"] = true
        if let message { context["message"] = message }
        return Self.html(status, ConsoleTemplates.render("login", context))
    }

    /// Where to go after signing in: a path of this console only, never another site.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\") else { return "/" }
        return value
    }

    func addAudit(_ router: Router<BasicRequestContext>) {
        router.get("audit") { request, _ in
            let query = Self.query(request)
            return try await page(request) { person, source in
                let before = query["before"].flatMap(Int64.init)
                let entries = try await view.sources[0].database.auditLog(beforeId: before, limit: Self.auditPerPage)
                var context = view.base(title: "Audit log", person: person, source: source)
                let zone = await source.rules.current.calendar.timeZone
                context["entries"] = entries.map { entry in
                    [
                        "at": ConsoleView.localTime(entry.at, zone: zone), "actor": entry.actor,
                        "action": entry.action, "source": entry.sourceName, "detail": entry.detail,
                    ] as [String: Any]
                }
                if entries.count == Self.auditPerPage, let last = entries.last?.id { context["older"] = last }
                return ("audit", context)
            }
        }
    }
}
